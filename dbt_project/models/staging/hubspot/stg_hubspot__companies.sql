with

source as (

    select
        {{ conformed_source_columns(source('raw_hubspot', 'companies'), [
            "id text",
            "name text",
            "domain text",
            "industry text",
            "city text",
            "country text",
            "createdate timestamp with time zone",
            "hs_lastmodifieddate timestamp with time zone",
            "archived boolean"
        ]) }}
    from {{ source('raw_hubspot', 'companies') }}

),

renamed as (

    select
        cast(id as {{ dbt.type_string() }}) as company_id,
        nullif(trim(name), '') as company_name,
        lower(nullif(trim(domain), '')) as company_domain,
        industry,
        city,
        country,
        {{ to_utc_timestamp('createdate') }} as created_at,
        {{ to_utc_timestamp('hs_lastmodifieddate') }} as updated_at,
        coalesce(archived, false) as is_archived

    from source

)

select * from renamed
