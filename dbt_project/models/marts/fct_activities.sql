{{
    config(
        materialized='incremental',
        unique_key='activity_id',
        incremental_strategy='delete+insert',
        on_schema_change='sync_all_columns',
        post_hook=[
            "delete from {{ this }} where activity_id not in (select activity_id from {{ ref('int_activities__attributed') }})",
            "update {{ this }} set _loaded_at = {{ loaded_at() }} where _loaded_at is null"
        ]
    )
}}

{#- One row per activity across platforms (DESIGN.md "Metric definitions", Activity).
    Incremental: a run re-writes only activities that are new or whose content changed
    (member re-attributed by a later merge, deleted, re-weighted), detected by row_hash, and
    the post-hook drops activities gone from upstream (an account that stopped being an
    identity), so an incremental run equals a full refresh. _loaded_at is the start of the
    dbt run that wrote the row (rows not re-written keep theirs): downstream checks and
    fct_member_daily_activity read only rows newer than what they have seen. Rows written
    before the column existed (null once on_schema_change adds it) get this run's. -#}
with

activities as (

    select * from {{ ref('int_activities__attributed') }}

)

{% if is_incremental() %}
,

existing as (

    select activity_id, row_hash from {{ this }}

)
{% endif %}

select
    activities.activity_id,
    activities.member_id,
    activities.platform,
    activities.platform_user_id,
    activities.activity_type,
    activities.occurred_at,
    activities.activity_date,
    activities.channel_id,
    activities.channel_name,
    activities.thread_id,
    activities.is_question,
    activities.is_deleted,
    activities.weight,
    activities.row_hash,
    {{ loaded_at() }} as _loaded_at
from activities
{% if is_incremental() %}
left join existing
    on activities.activity_id = existing.activity_id
where existing.activity_id is null
    or existing.row_hash <> activities.row_hash
{% endif %}
