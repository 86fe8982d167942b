{#- A table, not a view: several models and its data tests read it, and as a view each of
    them recomputed it from the whole activity or identity history. -#}
{{ config(materialized="table") }}

{#- Lifecycle status as of the as-of date (DESIGN.md "Metric definitions"), for members who
    are not bots, in precedence order:
    new      = first activity within lifecycle_new_days;
    at_risk  = in the top lifecycle_at_risk_top_share by activity weight over the prior
               lifecycle_at_risk_lookback_days and silent for lifecycle_at_risk_silent_min_days
               up to lifecycle_active_days;
    active   = activity within lifecycle_active_days;
    dormant  = silent lifecycle_active_days to lifecycle_dormant_max_days;
    churned  = silent longer.
    "within N days" = fewer than N days since (days_since 0 is the as-of date). -#}
with

activities as (

    select member_id, activity_date, weight
    from {{ ref('int_activities__attributed') }}
    where not is_deleted

),

members as (

    select * from {{ ref('int_members__flagged') }}
    where not is_bot

),

as_of as (

    select {{ as_of_date('activities') }} as as_of_date

),

dated as (

    select
        activities.member_id,
        activities.weight,
        {{ dbt.datediff('activities.activity_date', 'as_of.as_of_date', 'day') }} as days_ago
    from activities
    cross join as_of
    where activities.activity_date <= as_of.as_of_date

),

summarized as (

    select
        dated.member_id,
        max(dated.days_ago) as days_since_first_activity,
        min(dated.days_ago) as days_since_last_activity,
        sum(case when dated.days_ago < {{ var('lifecycle_at_risk_lookback_days') }} then dated.weight else 0 end)
            as recent_weight
    from dated
    inner join members on dated.member_id = members.member_id
    group by 1

),

ranked as (

    select
        member_id,
        cume_dist() over (order by recent_weight desc) as recent_weight_cume_share
    from summarized
    where recent_weight > 0

)

select
    summarized.member_id,
    summarized.days_since_first_activity,
    summarized.days_since_last_activity,
    summarized.recent_weight,
    {{ lifecycle_status('summarized.days_since_first_activity', 'summarized.days_since_last_activity', 'ranked.recent_weight_cume_share') }}
        as lifecycle_status
from summarized
left join ranked on summarized.member_id = ranked.member_id
