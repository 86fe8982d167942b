with

source as (

    select
        {{ conformed_source_columns(source('raw_slack', 'users'), [
            "id text",
            "team_id text",
            "name text",
            "real_name text",
            "deleted boolean",
            "is_bot boolean",
            "is_app_user boolean",
            "is_admin boolean",
            "is_owner boolean",
            "is_restricted boolean",
            "is_ultra_restricted boolean",
            "tz text",
            "tz_offset bigint",
            "updated bigint",
            "profile__email text",
            "profile__real_name text",
            "profile__display_name text",
            "profile__title text",
            "profile__bot_id text"
        ]) }}
    from {{ source('raw_slack', 'users') }}

),

renamed as (

    select
        cast(id as {{ dbt.type_string() }}) as slack_user_id,
        team_id,
        name as username,
        coalesce(nullif(trim(profile__real_name), ''), nullif(trim(real_name), '')) as full_name,
        nullif(trim(profile__display_name), '') as display_name,
        nullif(trim(profile__email), '') as email,
        profile__title as title,
        tz as timezone,
        tz_offset as timezone_offset_seconds,
        profile__bot_id as bot_id,
        coalesce(is_bot, false)
            or coalesce(is_app_user, false)
            or id = 'USLACKBOT'
            or profile__bot_id is not null as is_bot,
        coalesce(deleted, false) as is_deactivated,
        coalesce(is_admin, false) as is_admin,
        coalesce(is_owner, false) as is_owner,
        coalesce(is_restricted, false) or coalesce(is_ultra_restricted, false) as is_guest,
        {{ epoch_to_timestamp('nullif(updated, 0)') }} as updated_at

    from source

)

select * from renamed
