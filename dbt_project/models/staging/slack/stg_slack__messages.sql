with

source as (

    select
        {{ conformed_source_columns(source('raw_slack', 'messages'), [
            "channel_id text",
            "ts text",
            "thread_ts text",
            "parent_user_id text",
            "user_id text",
            "bot_id text",
            "type text",
            "subtype text",
            "text text",
            "reply_count bigint",
            "reply_users_count bigint",
            "latest_reply text",
            "edited_ts text",
            "edited_user text",
            "is_deleted boolean",
            "message_at timestamp with time zone",
            "client_msg_id text"
        ]) }}
    from {{ source('raw_slack', 'messages') }}

),

renamed as (

    select
        {{ dbt.concat(["channel_id", "':'", "ts"]) }} as message_id,
        channel_id,
        ts as message_ts,
        thread_ts,
        case
            when thread_ts is not null and thread_ts <> ts
                then {{ dbt.concat(["channel_id", "':'", "thread_ts"]) }}
        end as parent_message_id,
        nullif(user_id, '') as user_id,
        parent_user_id,
        bot_id,
        subtype,
        text as message_text,
        coalesce(reply_count, 0) as reply_count,
        coalesce(reply_users_count, 0) as reply_users_count,
        {{ to_utc_timestamp('message_at') }} as message_at,
        thread_ts is not null and thread_ts <> ts as is_thread_reply,
        thread_ts is null or thread_ts = ts as is_top_level,
        bot_id is not null or coalesce(subtype, '') = 'bot_message' as is_bot_message,
        coalesce(subtype, '') = 'channel_join' as is_channel_join,
        edited_ts is not null as is_edited,
        coalesce(is_deleted, false) as is_deleted

    from source

)

select * from renamed
