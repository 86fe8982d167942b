{{
    config(
        materialized="incremental",
        unique_key="activity_id",
        incremental_strategy="delete+insert",
        on_schema_change="sync_all_columns",
        post_hook=["delete from {{ this }} where member_id is null"]
    )
}}

{#- Activities with their member and weight (seeds/activity_weights.csv). Accounts that are
    not identities (e.g. a Slack user missing from users.list) are dropped.

    Incremental: the stream is recomputed from the raw tables (a scan; the Arrow-loaded raw
    tables carry no _dlt_load_id to select a day's load by), but only rows whose row_hash
    differs from the stored one are written: new activities, edited or deleted ones, and
    every activity of an account whose member changed after identity resolution (member_id
    is in row_hash), or whose weight changed. An activity gone from the stream (its raw
    record removed, or its account no longer an identity) comes back as a tombstone (only
    activity_id set): delete+insert deletes the stored row by activity_id and the post-hook
    deletes the tombstone. So an incremental run leaves the table equal to a full refresh. -#}
with

activities as (

    select * from {{ ref('int_activities__unioned') }}

),

identities as (

    select member_id, platform, platform_user_id from {{ ref('int_identities__resolved') }}

),

weights as (

    select platform, activity_type, weight from {{ ref('activity_weights') }}

),

attributed as (

    select
        activities.activity_id,
        identities.member_id,
        activities.platform,
        activities.platform_user_id,
        activities.activity_type,
        activities.occurred_at,
        cast(activities.occurred_at as date) as activity_date,
        activities.channel_id,
        activities.channel_name,
        activities.thread_id,
        activities.is_question,
        activities.is_deleted,
        coalesce(weights.weight, 0) as weight
    from activities
    inner join identities
        on activities.platform = identities.platform
        and activities.platform_user_id = identities.platform_user_id
    left join weights
        on activities.platform = weights.platform
        and activities.activity_type = weights.activity_type

),

hashed as (

    select
        *,
        {{ dbt.hash(dbt.concat([
            "member_id", "'|'",
            "platform_user_id", "'|'",
            "activity_type", "'|'",
            "cast(occurred_at as " ~ dbt.type_string() ~ ")", "'|'",
            "coalesce(channel_id, '')", "'|'",
            "coalesce(channel_name, '')", "'|'",
            "coalesce(thread_id, '')", "'|'",
            "cast(is_question as " ~ dbt.type_string() ~ ")", "'|'",
            "cast(is_deleted as " ~ dbt.type_string() ~ ")", "'|'",
            "cast(weight as " ~ dbt.type_string() ~ ")"])) }} as row_hash
    from attributed

)

{% if is_incremental() %}
,

existing as (

    select activity_id, row_hash from {{ this }}

),

{#- new or changed activities, and tombstones (member_id null, removed by the post-hook) of
    stored activities gone from the stream -#}
changed as (

    select
        coalesce(hashed.activity_id, existing.activity_id) as changed_activity_id,
        hashed.*
    from hashed
    full outer join existing
        on hashed.activity_id = existing.activity_id
    where existing.activity_id is null
        or hashed.activity_id is null
        or existing.row_hash <> hashed.row_hash

)

select
    changed_activity_id as activity_id,
    {%- for column in ['member_id', 'platform', 'platform_user_id', 'activity_type', 'occurred_at',
        'activity_date', 'channel_id', 'channel_name', 'thread_id', 'is_question', 'is_deleted',
        'weight', 'row_hash'] %}
    {{ column }}{{ "," if not loop.last }}
    {%- endfor %}
from changed

{% else %}

select * from hashed

{% endif %}
