with

source as (

    select
        {{ conformed_source_columns(source('raw_discourse', 'topics'), [
            "id bigint",
            "title text",
            "slug text",
            "category_id bigint",
            "user_id bigint",
            "posts_count bigint",
            "reply_count bigint",
            "like_count bigint",
            "views bigint",
            "created_at timestamp with time zone",
            "last_posted_at timestamp with time zone",
            "bumped_at timestamp with time zone",
            "closed boolean",
            "archived boolean",
            "pinned boolean",
            "has_accepted_answer boolean",
            "accepted_answer_post_id bigint",
            "tags text"
        ]) }}
    from {{ source('raw_discourse', 'topics') }}

),

renamed as (

    select
        cast(id as {{ dbt.type_string() }}) as topic_id,
        title,
        slug as topic_slug,
        cast(category_id as {{ dbt.type_string() }}) as category_id,
        cast(user_id as {{ dbt.type_string() }}) as user_id,
        posts_count,
        reply_count,
        like_count,
        views as view_count,
        cast(tags as {{ dbt.type_string() }}) as tags,
        cast(accepted_answer_post_id as {{ dbt.type_string() }}) as accepted_answer_post_id,
        {{ to_utc_timestamp('created_at') }} as created_at,
        {{ to_utc_timestamp('last_posted_at') }} as last_posted_at,
        coalesce(has_accepted_answer, accepted_answer_post_id is not null) as has_accepted_answer,
        coalesce(closed, false) as is_closed,
        coalesce(archived, false) as is_archived,
        coalesce(pinned, false) as is_pinned

    from source

)

select * from renamed
