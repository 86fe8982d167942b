with

source as (

    select
        {{ conformed_source_columns(source('raw_slack', 'channels'), [
            "id text",
            "name text",
            "is_archived boolean",
            "is_private boolean",
            "is_general boolean",
            "created bigint",
            "creator text",
            "num_members bigint",
            "topic__value text",
            "purpose__value text"
        ]) }}
    from {{ source('raw_slack', 'channels') }}

),

renamed as (

    select
        cast(id as {{ dbt.type_string() }}) as channel_id,
        name as channel_name,
        topic__value as topic,
        purpose__value as purpose,
        creator as creator_user_id,
        num_members,
        coalesce(is_archived, false) as is_archived,
        coalesce(is_private, false) as is_private,
        coalesce(is_general, false) as is_general,
        {{ epoch_to_timestamp('created') }} as created_at

    from source

)

select * from renamed
