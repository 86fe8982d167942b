with

source as (

    select
        {{ conformed_source_columns(source('raw_discourse', 'categories'), [
            "id bigint",
            "name text",
            "slug text",
            "parent_category_id bigint",
            "topic_count bigint",
            "post_count bigint"
        ]) }}
    from {{ source('raw_discourse', 'categories') }}

),

renamed as (

    select
        cast(id as {{ dbt.type_string() }}) as category_id,
        name as category_name,
        slug as category_slug,
        cast(parent_category_id as {{ dbt.type_string() }}) as parent_category_id,
        topic_count,
        post_count

    from source

)

select * from renamed
