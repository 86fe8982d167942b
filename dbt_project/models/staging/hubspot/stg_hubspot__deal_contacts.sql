with

source as (

    select
        {{ conformed_source_columns(source('raw_hubspot', 'deal_contacts'), [
            "deal_id text",
            "contact_id text"
        ]) }}
    from {{ source('raw_hubspot', 'deal_contacts') }}

),

renamed as (

    select
        {{ dbt.concat(["deal_id", "':'", "contact_id"]) }} as deal_contact_id,
        cast(deal_id as {{ dbt.type_string() }}) as deal_id,
        cast(contact_id as {{ dbt.type_string() }}) as contact_id

    from source

)

select * from renamed
