{#- Lifecycle status (DESIGN.md "Metric definitions") of every non-bot member on each snapshot
    date: the as-of date and every segment_snapshot_days before it, back to the first
    activity. Same rule as int_members__lifecycle_classified, evaluated as of each date.
    Per member, a running total of activity weight over the member's activity days turns
    each snapshot into two as-of lookups (the last activity day on or before the snapshot,
    and the last one before the look-back window): days since the last activity and the
    weight of the look-back window come out without joining every activity day to every
    snapshot whose window holds it. A member silent for the whole window gets the window's
    length as days since the last activity (churned whatever came before). -#}
{%- set window_days = [var('lifecycle_at_risk_lookback_days'), var('lifecycle_dormant_max_days') + 1] | max %}
with recursive

activity_days as (

    select member_id, activity_date, activity_weight
    from {{ ref('fct_member_daily_activity') }}

),

members as (

    select * from {{ ref('int_members__flagged') }}
    where not is_bot

),

as_of as (

    select {{ as_of_date('activity_days') }} as as_of_date

),

{#- the first activity date rides along each row: a subquery in the recursive step was
    re-evaluated (a scan of every member-day) once per snapshot -#}
snapshots (snapshot_date, first_date) as (

    select as_of_date, (select min(activity_date) from activity_days) from as_of
    union all
    select cast({{ dbt.dateadd('day', -var('segment_snapshot_days'), 'snapshot_date') }} as date), first_date
    from snapshots
    where snapshot_date > first_date

),

member_days as (

    select
        activity_days.member_id,
        activity_days.activity_date,
        sum(activity_days.activity_weight) over (
            partition by activity_days.member_id
            order by activity_days.activity_date
            rows between unbounded preceding and current row
        ) as running_weight
    from activity_days
    inner join members on activity_days.member_id = members.member_id

),

first_days as (

    select member_id, min(activity_date) as first_activity_date
    from member_days
    group by 1

),

member_snapshots as (

    select
        snapshots.snapshot_date,
        cast({{ dbt.dateadd('day', -var('lifecycle_at_risk_lookback_days'), 'snapshots.snapshot_date') }} as date)
            as lookback_start_date,
        first_days.member_id,
        first_days.first_activity_date
    from snapshots
    inner join first_days on first_days.first_activity_date <= snapshots.snapshot_date

),

{#- the last activity day on or before the snapshot (always found: the first one is) -#}
latest as (

    select
        member_snapshots.*,
        member_days.activity_date as last_activity_date,
        member_days.running_weight
    from member_snapshots
    asof inner join member_days
        on member_snapshots.member_id = member_days.member_id
        and member_snapshots.snapshot_date >= member_days.activity_date

),

{#- the last activity day on or before the look-back window's start, if any -#}
summarized as (

    select
        latest.snapshot_date,
        latest.member_id,
        {{ dbt.datediff('latest.first_activity_date', 'latest.snapshot_date', 'day') }}
            as days_since_first_activity,
        least(
            {{ dbt.datediff('latest.last_activity_date', 'latest.snapshot_date', 'day') }},
            {{ window_days }}
        ) as days_since_last_activity,
        latest.running_weight - coalesce(before_window.running_weight, 0) as recent_weight
    from latest
    asof left join member_days as before_window
        on latest.member_id = before_window.member_id
        and latest.lookback_start_date >= before_window.activity_date

),

{#- share ranked among the members with weight in the window on that date (a partition of
    their own), without joining back -#}
ranked as (

    select
        *,
        case
            when recent_weight > 0 then cume_dist() over (
                partition by snapshot_date, recent_weight > 0
                order by recent_weight desc
            )
        end as recent_weight_cume_share
    from summarized

)

{#- no surrogate key: the grain (member_id, snapshot_date) is tested as an expression in the
    YAML; an md5 per row (2.45M rows at 100k) cost about 2 s and nothing read it -#}
select
    snapshot_date,
    member_id,
    {{ lifecycle_status('days_since_first_activity', 'days_since_last_activity', 'recent_weight_cume_share') }}
        as lifecycle_status
from ranked
