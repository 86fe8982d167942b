with

source as (

    select
        {{ conformed_source_columns(source('raw_discourse', 'users'), [
            "id bigint",
            "username text",
            "name text",
            "email text",
            "active boolean",
            "admin boolean",
            "moderator boolean",
            "staged boolean",
            "suspended_at timestamp with time zone",
            "trust_level bigint",
            "created_at timestamp with time zone",
            "last_seen_at timestamp with time zone",
            "location text"
        ]) }}
    from {{ source('raw_discourse', 'users') }}

),

renamed as (

    select
        cast(id as {{ dbt.type_string() }}) as discourse_user_id,
        username,
        nullif(trim(name), '') as full_name,
        nullif(trim(email), '') as email,
        nullif(trim(location), '') as location,
        trust_level,
        {{ to_utc_timestamp('created_at') }} as created_at,
        {{ to_utc_timestamp('last_seen_at') }} as last_seen_at,
        {{ to_utc_timestamp('suspended_at') }} as suspended_at,
        -- system (-1), discobot (-2) and other built-in users have ids <= 0
        id <= 0 as is_bot,
        not coalesce(active, true) or suspended_at is not null as is_deactivated,
        coalesce(admin, false) as is_admin,
        coalesce(moderator, false) as is_moderator,
        coalesce(staged, false) as is_staged

    from source

)

select * from renamed
