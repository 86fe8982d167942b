with

source as (

    select
        {{ conformed_source_columns(source('raw_discourse', 'posts'), [
            "id bigint",
            "topic_id bigint",
            "post_number bigint",
            "user_id bigint",
            "username text",
            "created_at timestamp with time zone",
            "updated_at timestamp with time zone",
            "reply_to_post_number bigint",
            "reply_to_user_id bigint",
            "post_type bigint",
            "like_count bigint",
            "reply_count bigint",
            "accepted_answer boolean",
            "deleted_at timestamp with time zone",
            "raw text"
        ]) }}
    from {{ source('raw_discourse', 'posts') }}

),

renamed as (

    select
        cast(id as {{ dbt.type_string() }}) as post_id,
        cast(topic_id as {{ dbt.type_string() }}) as topic_id,
        post_number,
        cast(user_id as {{ dbt.type_string() }}) as user_id,
        username,
        reply_to_post_number,
        cast(reply_to_user_id as {{ dbt.type_string() }}) as reply_to_user_id,
        post_type,
        coalesce(like_count, 0) as like_count,
        {{ to_utc_timestamp('created_at') }} as created_at,
        {{ to_utc_timestamp('updated_at') }} as updated_at,
        {{ to_utc_timestamp('deleted_at') }} as deleted_at,
        post_number = 1 as is_topic_opener,
        coalesce(post_type, 1) = 1 as is_regular,
        coalesce(accepted_answer, false) as is_accepted_answer,
        deleted_at is not null as is_deleted

    from source

)

select * from renamed
