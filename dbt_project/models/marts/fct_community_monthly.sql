{#- Monthly retention (CHAOSS/crowd.dev, DESIGN.md "Metric definitions"), one row per month:
    active members (non-bot, at least one activity in the month), retention
    |active(t) ∩ active(t-1)| / |active(t-1)|, and for the cohort whose first activity fell in
    the month, the share active again in months M+1, M+2, M+3 (null until that month ends
    in the data). -#}
with

{#- the member-day pre-aggregate of the (not deleted) activities: a member is active in a
    month when they have an activity day in it #}
activities as (

    select member_id, activity_date from {{ ref('fct_member_daily_activity') }}

),

members as (

    select * from {{ ref('int_members__flagged') }}
    where not is_bot

),

member_months as (

    select distinct
        activities.member_id,
        cast({{ dbt.date_trunc('month', 'activities.activity_date') }} as date) as activity_month
    from activities
    inner join members on activities.member_id = members.member_id

),

cohorts as (

    select member_id, min(activity_month) as cohort_month
    from member_months
    group by 1

),

months as (

    select distinct activity_month from member_months

),

last_month as (

    select max(activity_month) as last_month from member_months

),

active as (

    select activity_month, count(*) as active_members
    from member_months
    group by 1

),

retained as (

    select current_month.activity_month, count(*) as retained_members
    from member_months as current_month
    inner join member_months as previous_month
        on current_month.member_id = previous_month.member_id
        and previous_month.activity_month = cast({{ dbt.dateadd('month', -1, 'current_month.activity_month') }} as date)
    group by 1

),

cohort_activity as (

    select
        cohorts.cohort_month,
        count(distinct cohorts.member_id) as cohort_size,
        {%- for k in [1, 2, 3] %}
        count(distinct case
            when member_months.activity_month = cast({{ dbt.dateadd('month', k, 'cohorts.cohort_month') }} as date)
                then cohorts.member_id
        end) as retained_m{{ k }}{% if not loop.last %},{% endif %}
        {%- endfor %}
    from cohorts
    inner join member_months on cohorts.member_id = member_months.member_id
    group by 1

),

previous_active as (

    select
        cast({{ dbt.dateadd('month', 1, 'activity_month') }} as date) as activity_month,
        active_members as previous_active_members
    from active

)

select
    months.activity_month,
    active.active_members,
    coalesce(previous_active.previous_active_members, 0) as previous_active_members,
    coalesce(retained.retained_members, 0) as retained_members,
    case
        when previous_active.previous_active_members > 0
            then 1.0 * coalesce(retained.retained_members, 0) / previous_active.previous_active_members
    end as retention_rate,
    coalesce(cohort_activity.cohort_size, 0) as new_members,
    {%- for k in [1, 2, 3] %}
    case
        when cohort_activity.cohort_size > 0
            and cast({{ dbt.dateadd('month', k, 'months.activity_month') }} as date) < last_month.last_month
            then 1.0 * cohort_activity.retained_m{{ k }} / cohort_activity.cohort_size
    end as new_member_retention_m{{ k }}{% if not loop.last %},{% endif %}
    {%- endfor %}
from months
cross join last_month
inner join active on months.activity_month = active.activity_month
left join previous_active on months.activity_month = previous_active.activity_month
left join retained on months.activity_month = retained.activity_month
left join cohort_activity on months.activity_month = cohort_activity.cohort_month
