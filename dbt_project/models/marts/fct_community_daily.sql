{#- Community health per day (DESIGN.md "Metric definitions"), from the first activity date to
    the as-of date:
    - dau/wau/mau: distinct non-bot members with an activity in the trailing 1/7/28 days
      (vars dau/wau/mau_window_days); community_mau leaves staff out too;
    - new_members: non-bot members whose first activity is that day; activated_members:
      whose first activity of weight >= activation_min_weight is that day;
    - mau_retention_rate: |active(t) ∩ active(t-1)| / |active(t-1)| with active = the trailing
      mau window and t-1 the window before it;
    - questions asked that day: TTFR median and p90 (hours), unanswered rate (decided
      questions), Discourse accepted-solution rate, staff share of first responses. -#}
with recursive

{# the member-day pre-aggregate of the (not deleted) activities: every measure below
   needs only a member's activity days (and the day's largest weight for activation) #}
activities as (

    select member_id, activity_date, max_activity_weight
    from {{ ref('fct_member_daily_activity') }}

),

members as (

    select * from {{ ref('int_members__flagged') }}
    where not is_bot

),

questions as (

    select * from {{ ref('int_questions__responded') }}

),

as_of as (

    select {{ as_of_date('activities') }} as as_of_date

),

calendar (calendar_date) as (

    select min(activity_date) from activities
    union all
    select cast({{ dbt.dateadd('day', 1, 'calendar_date') }} as date)
    from calendar
    where calendar_date < (select as_of_date from as_of)

),

member_days as (

    select activities.member_id, activities.activity_date, members.is_staff
    from activities
    inner join members on activities.member_id = members.member_id

),

{#- A member counts in a trailing window of W days at date t when their latest activity day
    d <= t is later than t - W. With n the member's next activity day after d, that is
    t in [d, least(n, d + W)): one interval per member-day, disjoint per member, so each
    window count is a running sum of +1/-1 events over the calendar, linear in member-days
    (a join of every member-day to every calendar date of its window is 2 x mau_window_days
    times larger). The previous mau window, (t - 2M, t - M], is the mau interval shifted by
    M; retained = active in both: d is the latest day <= t - M and n <= t, so
    t in [greatest(d + M, n), least(n + M, d + 2M)). -#}
member_day_spans as (

    select
        member_id,
        is_staff,
        activity_date,
        lead(activity_date) over (partition by member_id order by activity_date)
            as next_activity_date
    from member_days

),

{%- set mau = var('mau_window_days') %}

window_spans as (

    {%- for name in ['dau', 'wau', 'mau'] %}
    {%- set ends = dbt.dateadd('day', var(name ~ '_window_days'), 'activity_date') %}
    select
        '{{ name }}' as measure,
        is_staff,
        activity_date as starts_on,
        case
            when next_activity_date is not null and next_activity_date < cast({{ ends }} as date)
                then next_activity_date
            else cast({{ ends }} as date)
        end as ends_on
    from member_day_spans
    union all
    {%- endfor %}
    select
        'previous_mau' as measure,
        is_staff,
        cast({{ dbt.dateadd('day', mau, 'activity_date') }} as date) as starts_on,
        case
            when next_activity_date is not null
                and next_activity_date < cast({{ dbt.dateadd('day', mau, 'activity_date') }} as date)
                then cast({{ dbt.dateadd('day', mau, 'next_activity_date') }} as date)
            else cast({{ dbt.dateadd('day', 2 * mau, 'activity_date') }} as date)
        end as ends_on
    from member_day_spans
    union all
    select
        'retained_mau' as measure,
        is_staff,
        case
            when next_activity_date > cast({{ dbt.dateadd('day', mau, 'activity_date') }} as date)
                then next_activity_date
            else cast({{ dbt.dateadd('day', mau, 'activity_date') }} as date)
        end as starts_on,
        case
            when cast({{ dbt.dateadd('day', mau, 'next_activity_date') }} as date)
                < cast({{ dbt.dateadd('day', 2 * mau, 'activity_date') }} as date)
                then cast({{ dbt.dateadd('day', mau, 'next_activity_date') }} as date)
            else cast({{ dbt.dateadd('day', 2 * mau, 'activity_date') }} as date)
        end as ends_on
    from member_day_spans
    where next_activity_date is not null

),

window_events as (

    select measure, is_staff, starts_on as event_date, 1 as change
    from window_spans
    where starts_on < ends_on
    union all
    select measure, is_staff, ends_on as event_date, -1 as change
    from window_spans
    where starts_on < ends_on

),

daily_changes as (

    select
        event_date as calendar_date,
        {%- for name in ['dau', 'wau', 'mau', 'previous_mau', 'retained_mau'] %}
        sum(case when measure = '{{ name }}' then change else 0 end) as {{ name }}_change,
        {%- endfor %}
        sum(case when measure = 'mau' and not is_staff then change else 0 end)
            as community_mau_change
    from window_events
    group by 1

),

active_counts as (

    select
        calendar.calendar_date,
        {%- for name in ['dau', 'wau', 'mau', 'community_mau', 'previous_mau', 'retained_mau'] %}
        sum(coalesce(daily_changes.{{ name }}_change, 0)) over (
            order by calendar.calendar_date rows between unbounded preceding and current row
        ) as {{ name }}{{ "," if not loop.last }}
        {%- endfor %}
    from calendar
    left join daily_changes on calendar.calendar_date = daily_changes.calendar_date

),

firsts as (

    select
        activities.member_id,
        min(activities.activity_date) as first_activity_date,
        min(case when activities.max_activity_weight >= {{ var('activation_min_weight') }} then activities.activity_date end)
            as activation_date
    from activities
    inner join members on activities.member_id = members.member_id
    group by 1

),

new_counts as (

    select first_activity_date as calendar_date, count(*) as new_members
    from firsts
    group by 1

),

activation_counts as (

    select activation_date as calendar_date, count(*) as activated_members
    from firsts
    where activation_date is not null
    group by 1

),

question_stats as (

    select
        asked_date as calendar_date,
        count(*) as questions_asked,
        {{ percentile_cont('hours_to_first_response', 0.5) }} as ttfr_median_hours,
        {{ percentile_cont('hours_to_first_response', 0.9) }} as ttfr_p90_hours,
        avg(case when is_unanswered then 1.0 when not is_unanswered then 0.0 end) as unanswered_rate,
        avg(case when platform = 'discourse' then case when has_accepted_solution then 1.0 else 0.0 end end)
            as accepted_solution_rate,
        avg(case when responder_is_staff then 1.0 when not responder_is_staff then 0.0 end)
            as staff_first_response_share
    from questions
    group by 1

)

select
    calendar.calendar_date,
    coalesce(active_counts.dau, 0) as dau,
    coalesce(active_counts.wau, 0) as wau,
    coalesce(active_counts.mau, 0) as mau,
    coalesce(active_counts.community_mau, 0) as community_mau,
    coalesce(new_counts.new_members, 0) as new_members,
    coalesce(activation_counts.activated_members, 0) as activated_members,
    coalesce(active_counts.previous_mau, 0) as previous_mau,
    coalesce(active_counts.retained_mau, 0) as retained_mau,
    case
        when coalesce(active_counts.previous_mau, 0) > 0
            then 1.0 * active_counts.retained_mau / active_counts.previous_mau
    end as mau_retention_rate,
    coalesce(question_stats.questions_asked, 0) as questions_asked,
    question_stats.ttfr_median_hours,
    question_stats.ttfr_p90_hours,
    question_stats.unanswered_rate,
    question_stats.accepted_solution_rate,
    question_stats.staff_first_response_share,
    1 - question_stats.staff_first_response_share as community_first_response_share
from calendar
left join active_counts on calendar.calendar_date = active_counts.calendar_date
left join new_counts on calendar.calendar_date = new_counts.calendar_date
left join activation_counts on calendar.calendar_date = activation_counts.calendar_date
left join question_stats on calendar.calendar_date = question_stats.calendar_date
where calendar.calendar_date is not null
