with

source as (

    select
        {{ conformed_source_columns(source('raw_discourse', 'post_likes'), [
            "post_id bigint",
            "user_id bigint",
            "created_at timestamp with time zone"
        ]) }}
    from {{ source('raw_discourse', 'post_likes') }}

),

renamed as (

    select
        {{ dbt.concat(["cast(post_id as " ~ dbt.type_string() ~ ")", "':'", "cast(user_id as " ~ dbt.type_string() ~ ")"]) }}
            as post_like_id,
        cast(post_id as {{ dbt.type_string() }}) as post_id,
        cast(user_id as {{ dbt.type_string() }}) as user_id,
        {{ to_utc_timestamp('created_at') }} as created_at

    from source

)

select * from renamed
