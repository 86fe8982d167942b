{#- Lifecycle status (DESIGN.md "Metric definitions") of every non-bot member on each snapshot
    date: the as-of date and every segment_snapshot_days before it, back to the first
    activity. Same rule as int_members__lifecycle_classified, evaluated as of each date.
    Only the activity days inside each snapshot's look-back window are joined (a member
    silent for the whole window is churned whatever came before), which keeps the join
    linear in the number of snapshots. -#}
{%- set window_days = [var('lifecycle_at_risk_lookback_days'), var('lifecycle_dormant_max_days') + 1] | max %}
with recursive

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

snapshots (snapshot_date) as (

    select as_of_date from as_of
    union all
    select cast({{ dbt.dateadd('day', -var('segment_snapshot_days'), 'snapshot_date') }} as date)
    from snapshots
    where snapshot_date > (select min(activity_date) from activities)

),

member_days as (

    select activities.member_id, activities.activity_date, sum(activities.weight) as weight
    from activities
    inner join members on activities.member_id = members.member_id
    group by 1, 2

),

first_days as (

    select member_id, min(activity_date) as first_activity_date
    from member_days
    group by 1

),

recent_days as (

    select
        snapshots.snapshot_date,
        member_days.member_id,
        member_days.weight,
        {{ dbt.datediff('member_days.activity_date', 'snapshots.snapshot_date', 'day') }} as days_ago
    from snapshots
    inner join member_days
        on member_days.activity_date <= snapshots.snapshot_date
        and member_days.activity_date > {{ dbt.dateadd('day', -window_days, 'snapshots.snapshot_date') }}

),

recent as (

    select
        snapshot_date,
        member_id,
        min(days_ago) as days_since_last_activity,
        sum(case when days_ago < {{ var('lifecycle_at_risk_lookback_days') }} then weight else 0 end)
            as recent_weight
    from recent_days
    group by 1, 2

),

summarized as (

    select
        snapshots.snapshot_date,
        first_days.member_id,
        {{ dbt.datediff('first_days.first_activity_date', 'snapshots.snapshot_date', 'day') }}
            as days_since_first_activity,
        coalesce(recent.days_since_last_activity, {{ window_days }}) as days_since_last_activity,
        coalesce(recent.recent_weight, 0) as recent_weight
    from snapshots
    inner join first_days on first_days.first_activity_date <= snapshots.snapshot_date
    left join recent
        on snapshots.snapshot_date = recent.snapshot_date
        and first_days.member_id = recent.member_id

),

ranked as (

    select
        snapshot_date,
        member_id,
        cume_dist() over (partition by snapshot_date order by recent_weight desc) as recent_weight_cume_share
    from summarized
    where recent_weight > 0

)

select
    {{ dbt.hash(dbt.concat(["summarized.member_id", "'|'", "cast(summarized.snapshot_date as " ~ dbt.type_string() ~ ")"])) }}
        as member_snapshot_id,
    summarized.snapshot_date,
    summarized.member_id,
    {{ lifecycle_status('summarized.days_since_first_activity', 'summarized.days_since_last_activity', 'ranked.recent_weight_cume_share') }}
        as lifecycle_status
from summarized
left join ranked
    on summarized.snapshot_date = ranked.snapshot_date
    and summarized.member_id = ranked.member_id
