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

activities as (

    select * from {{ ref('int_activities__attributed') }}
    where not is_deleted

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

    select distinct activities.member_id, activities.activity_date, members.is_staff
    from activities
    inner join members on activities.member_id = members.member_id

),

member_windows as (

    select
        calendar.calendar_date,
        member_days.member_id,
        member_days.is_staff,
        {%- for name in ['dau', 'wau', 'mau'] %}
        max(case when member_days.activity_date > {{ dbt.dateadd('day', -var(name ~ '_window_days'), 'calendar.calendar_date') }}
            then 1 else 0 end) as in_{{ name }},
        {%- endfor %}
        max(case when member_days.activity_date <= {{ dbt.dateadd('day', -var('mau_window_days'), 'calendar.calendar_date') }}
            then 1 else 0 end) as in_previous_mau
    from calendar
    inner join member_days
        on member_days.activity_date <= calendar.calendar_date
        and member_days.activity_date > {{ dbt.dateadd('day', -2 * var('mau_window_days'), 'calendar.calendar_date') }}
    group by 1, 2, 3

),

active_counts as (

    select
        calendar_date,
        sum(in_dau) as dau,
        sum(in_wau) as wau,
        sum(in_mau) as mau,
        sum(case when in_mau = 1 and not is_staff then 1 else 0 end) as community_mau,
        sum(in_previous_mau) as previous_mau,
        sum(case when in_mau = 1 and in_previous_mau = 1 then 1 else 0 end) as retained_mau
    from member_windows
    group by 1

),

firsts as (

    select
        activities.member_id,
        min(activities.activity_date) as first_activity_date,
        min(case when activities.weight >= {{ var('activation_min_weight') }} then activities.activity_date end)
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
