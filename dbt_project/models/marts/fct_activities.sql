{{
    config(
        materialized='incremental',
        unique_key='activity_id',
        incremental_strategy='delete+insert',
        on_schema_change='sync_all_columns',
        post_hook=[
            "delete from {{ this }} where activity_id not in (select activity_id from {{ ref('int_activities__attributed') }})"
        ]
    )
}}

{#- One row per activity across platforms (DESIGN.md "Metric definitions", Activity).
    Incremental: a run re-writes only activities that are new or whose content changed
    (member re-attributed by a later merge, deleted, re-weighted), detected by row_hash, and
    the post-hook drops activities gone from upstream (an account that stopped being an
    identity), so an incremental run equals a full refresh. -#}
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
    activities.row_hash
from activities
{% if is_incremental() %}
left join existing
    on activities.activity_id = existing.activity_id
where existing.activity_id is null
    or existing.row_hash <> activities.row_hash
{% endif %}
