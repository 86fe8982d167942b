with

source as (

    select
        {{ conformed_source_columns(source('raw_slack', 'message_reactions'), [
            "channel_id text",
            "message_ts text",
            "reaction text",
            "user_id text"
        ]) }}
    from {{ source('raw_slack', 'message_reactions') }}

),

renamed as (

    select
        {{ dbt.concat(["channel_id", "':'", "message_ts", "':'", "reaction", "':'", "user_id"]) }}
            as message_reaction_id,
        {{ dbt.concat(["channel_id", "':'", "message_ts"]) }} as message_id,
        channel_id,
        message_ts,
        reaction,
        user_id

    from source

)

select * from renamed
