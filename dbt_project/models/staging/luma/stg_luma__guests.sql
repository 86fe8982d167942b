with

source as (

    select
        {{ conformed_source_columns(source('raw_luma', 'guests'), [
            "api_id text",
            "event_api_id text",
            "user_api_id text",
            "user_email text",
            "user_name text",
            "approval_status text",
            "registered_at timestamp with time zone",
            "checked_in_at timestamp with time zone",
            "source text"
        ]) }}
    from {{ source('raw_luma', 'guests') }}

),

renamed as (

    select
        cast(api_id as {{ dbt.type_string() }}) as guest_id,
        cast(event_api_id as {{ dbt.type_string() }}) as event_id,
        nullif(trim(user_api_id), '') as user_api_id,
        nullif(trim(user_email), '') as email,
        nullif(trim(user_name), '') as full_name,
        approval_status,
        source as load_source,
        {{ to_utc_timestamp('registered_at') }} as registered_at,
        {{ to_utc_timestamp('checked_in_at') }} as checked_in_at,
        checked_in_at is not null as is_checked_in

    from source

)

select * from renamed
