with

source as (

    select
        {{ conformed_source_columns(source('raw_hubspot', 'deals'), [
            "id text",
            "dealname text",
            "pipeline text",
            "dealstage text",
            "amount double",
            "createdate timestamp with time zone",
            "closedate timestamp with time zone",
            "hs_is_closed_won boolean",
            "hs_lastmodifieddate timestamp with time zone",
            "archived boolean"
        ]) }}
    from {{ source('raw_hubspot', 'deals') }}

),

renamed as (

    select
        cast(id as {{ dbt.type_string() }}) as deal_id,
        dealname as deal_name,
        cast(pipeline as {{ dbt.type_string() }}) as pipeline_id,
        cast(dealstage as {{ dbt.type_string() }}) as stage_id,
        cast(amount as {{ dbt.type_float() }}) as amount,
        {{ to_utc_timestamp('createdate') }} as created_at,
        {{ to_utc_timestamp('closedate') }} as closed_at,
        {{ to_utc_timestamp('hs_lastmodifieddate') }} as updated_at,
        coalesce(hs_is_closed_won, false) as is_closed_won,
        coalesce(archived, false) as is_archived

    from source

)

select * from renamed
