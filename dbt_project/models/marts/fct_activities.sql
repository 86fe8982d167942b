{{ config(materialized='view', meta={'count_rows': true}) }}

{#- One row per activity across platforms (DESIGN.md "Metric definitions", Activity).
    A view of int_activities__attributed, which is incremental on activity_id: a run
    re-writes only activities that are new or whose content changed (member re-attributed by
    a later merge, deleted, re-weighted), and deletes activities gone from upstream, so an
    incremental run equals a full refresh. _loaded_at is the start of
    the dbt run that wrote the row (rows not re-written keep theirs): downstream checks and
    fct_member_daily_activity read only rows newer than what they have seen.
    It was a table holding a second copy of the 4.8M activities at 100k people: writing
    that copy was 21 s of the full build's critical path and 7 s of an incremental one,
    and reading through a view costs nothing (a projection of the stored table). -#}
select
    activity_id,
    member_id,
    platform,
    platform_user_id,
    activity_type,
    occurred_at,
    activity_date,
    channel_id,
    channel_name,
    thread_id,
    is_question,
    is_deleted,
    weight,
    _loaded_at
from {{ ref('int_activities__attributed') }}
