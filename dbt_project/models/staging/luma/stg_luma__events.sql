with

source as (

    select
        {{ conformed_source_columns(source('raw_luma', 'events'), [
            "api_id text",
            "name text",
            "description text",
            "start_at timestamp with time zone",
            "end_at timestamp with time zone",
            "timezone text",
            "url text",
            "event_type text",
            "series text",
            "city text",
            "country text",
            "geo_address_json text",
            "tags text"
        ]) }}
    from {{ source('raw_luma', 'events') }}

),

renamed as (

    select
        cast(api_id as {{ dbt.type_string() }}) as event_id,
        name as event_name,
        event_type,
        nullif(trim(series), '') as series,
        cast(tags as {{ dbt.type_string() }}) as tags,
        city,
        country,
        timezone,
        url as event_url,
        {{ to_utc_timestamp('start_at') }} as starts_at,
        {{ to_utc_timestamp('end_at') }} as ends_at

    from source

)

select * from renamed
