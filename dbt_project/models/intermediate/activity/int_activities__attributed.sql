{{
    config(
        materialized="incremental",
        unique_key="activity_id",
        incremental_strategy="delete+insert",
        on_schema_change="sync_all_columns",
        post_hook=[
            "delete from {{ this }} where member_id is null",
            "update {{ this }} set _loaded_at = {{ loaded_at() }} where _loaded_at is null"
        ]
    )
}}

{#- Activities with their member and weight (seeds/activity_weights.csv). Accounts that are
    not identities (e.g. a Slack user missing from users.list) are dropped.

    Incremental: the stream is recomputed from the raw tables (a scan: a later identity
    merge or weight change can alter any old activity, so the day's raw loads alone do not
    say which rows changed), but only rows that differ from the stored one in a column are
    written: new activities, edited or deleted ones, and every activity of an account whose
    member changed after identity resolution, or whose weight changed. An activity gone from
    the stream (its raw record removed, or its account no longer an identity) comes back as
    a tombstone (only activity_id set): delete+insert deletes the stored row by activity_id
    and the post-hook deletes the tombstone. So an incremental run leaves the table equal to
    a full refresh.
    _loaded_at is the start of the dbt run that wrote the row (loaded_at()), so
    `_loaded_at > t` selects the activities new or changed since t (rows written before the
    column existed get this run's). marts.fct_activities is a view of this table. -#}
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

)

{#- the stored columns; a change in any of them re-writes the activity. (A row_hash, an md5 of
    them, used to be stored and compared: comparing the columns needs no hash, and storing an
    md5 string per activity cost more than it saved.) -#}
{%- set columns = ['member_id', 'platform', 'platform_user_id', 'activity_type', 'occurred_at',
    'activity_date', 'channel_id', 'channel_name', 'thread_id', 'is_question', 'is_deleted',
    'weight'] %}

{% if is_incremental() %}

,

existing as (

    select * from {{ this }}

),

{#- new or changed activities, and tombstones (member_id null, removed by the post-hook) of
    stored activities gone from the stream. "Changed": a stored column differs, nulls
    included (is distinct from: a Slack message whose channel arrives later gains its
    channel_name and is_question). -#}
changed as (

    select
        coalesce(attributed.activity_id, existing.activity_id) as changed_activity_id,
        attributed.*
    from attributed
    full outer join existing
        on attributed.activity_id = existing.activity_id
    where existing.activity_id is null
        or attributed.activity_id is null
        {%- for c in columns %}
        or existing.{{ c }} is distinct from attributed.{{ c }}
        {%- endfor %}

)

{% endif %}

{#- incremental: the changed rows and tombstones; full: every activity -#}
{%- set id_column, source = ('changed_activity_id', 'changed') if is_incremental()
    else ('activity_id', 'attributed') %}
select
    {{ id_column }} as activity_id,
    {%- for column in columns %}
    {{ column }},
    {%- endfor %}
    {{ loaded_at() }} as _loaded_at
from {{ source }}
