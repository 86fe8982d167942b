with

source as (

    select
        {{ conformed_source_columns(source('raw_hubspot', 'contact_companies'), [
            "contact_id text",
            "company_id text"
        ]) }}
    from {{ source('raw_hubspot', 'contact_companies') }}

),

renamed as (

    select
        {{ dbt.concat(["contact_id", "':'", "company_id"]) }} as contact_company_id,
        cast(contact_id as {{ dbt.type_string() }}) as contact_id,
        cast(company_id as {{ dbt.type_string() }}) as company_id

    from source

)

select * from renamed
