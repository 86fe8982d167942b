{{
    config(
        materialized='incremental',
        unique_key='activity_id',
        incremental_strategy='delete+insert',
        on_schema_change='sync_all_columns',
        post_hook=[
            "{% if is_incremental() %}delete from {{ this }} where activity_id not in (select activity_id from {{ ref('int_activities__attributed') }}){% endif %}",
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
    before the column existed (null once on_schema_change adds it) get this run's.
    Only the rows int_activities__attributed wrote after our latest _loaded_at (its own
    _loaded_at) can be new or changed, so an incremental run compares just those (a run
    that failed after int_activities__attributed leaves them newer, for the next run). The
    post-hook's delete of activities gone upstream is a no-op on a full refresh, so it runs
    on incremental runs only. -#}
with

activities as (

    select * from {{ ref('int_activities__attributed') }}

)

{% if is_incremental() %}
,

watermark as (

    select coalesce(max(_loaded_at), cast('1970-01-01' as {{ dbt.type_timestamp() }})) as loaded_at
    from {{ this }}

),

candidates as (

    select * from activities
    where _loaded_at is null or _loaded_at > (select loaded_at from watermark)

),

{#- the stored rows of the candidates only: a semi-join on the few candidates, not a hash
    table of every stored activity -#}
existing as (

    select activity_id, row_hash from {{ this }}
    where activity_id in (select activity_id from candidates)

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
{% if is_incremental() %}
from candidates as activities
left join existing
    on activities.activity_id = existing.activity_id
where existing.activity_id is null or existing.row_hash is distinct from activities.row_hash
{% else %}
from activities
{% endif %}
