{#- Onboarding funnel by monthly cohort of joining (a member's first seen account), for
    members who are neither bots nor staff: joined -> first activity -> activated (an
    activity of weight >= activation_min_weight within onboarding_activation_days of
    joining) -> retained (active again onboarding_retention_start_days to
    onboarding_retention_end_days after the first activity; the rate counts only members
    whose retention window has ended in the data). The issue's funnel, stage by stage, each
    stage counting only members who passed the ones before: joined -> introduced (a top-level
    message in the introductions channel) -> first question or answer (a question, a thread
    reply, a forum reply or an accepted solution) -> active in week 4 (any activity between
    days onboarding_week4_start_day and onboarding_week4_end_day after joining). -#}
with

members as (

    select * from {{ ref('int_members__flagged') }}
    where not is_bot and not is_staff and first_seen_at is not null

),

activities as (

    select member_id, platform, activity_type, channel_name, is_question, occurred_at, weight
    from {{ ref('int_activities__attributed') }}
    where not is_deleted

),

firsts as (

    select
        members.member_id,
        members.first_seen_at,
        min(activities.occurred_at) as first_active_at,
        min(case
            when activities.weight >= {{ var('activation_min_weight') }}
                and activities.occurred_at <= {{ dbt.dateadd('day', var('onboarding_activation_days'), 'members.first_seen_at') }}
                then activities.occurred_at
        end) as activated_at,
        min(case
            when activities.platform = 'slack' and activities.activity_type = 'message'
                and activities.channel_name = '{{ var("onboarding_introductions_channel") }}'
                then activities.occurred_at
        end) as introduced_at,
        min(case
            when activities.is_question
                or activities.activity_type in ('thread_reply', 'reply', 'accepted_solution')
                then activities.occurred_at
        end) as first_question_or_answer_at,
        max(case
            when activities.occurred_at >= {{ dbt.dateadd('day', var('onboarding_week4_start_day'), 'members.first_seen_at') }}
                and activities.occurred_at < {{ dbt.dateadd('day', var('onboarding_week4_end_day'), 'members.first_seen_at') }}
                then 1 else 0
        end) as is_active_in_week_4
    from members
    left join activities on members.member_id = activities.member_id
    group by 1, 2

),

data_end as (

    select max(occurred_at) as data_end_at from activities

),

retained as (

    select distinct firsts.member_id
    from firsts
    inner join activities
        on firsts.member_id = activities.member_id
        and activities.occurred_at >= {{ dbt.dateadd('day', var('onboarding_retention_start_days'), 'firsts.first_active_at') }}
        and activities.occurred_at < {{ dbt.dateadd('day', var('onboarding_retention_end_days'), 'firsts.first_active_at') }}

),

cohorts as (

    select
        cast({{ dbt.date_trunc('month', 'firsts.first_seen_at') }} as date) as cohort_month,
        count(*) as joined_members,
        sum(case when firsts.first_active_at is not null then 1 else 0 end) as active_members,
        sum(case when firsts.activated_at is not null then 1 else 0 end) as activated_members,
        sum(case when retained.member_id is not null then 1 else 0 end) as retained_members,
        sum(case when firsts.introduced_at is not null then 1 else 0 end) as introduced_members,
        sum(case
            when firsts.introduced_at is not null and firsts.first_question_or_answer_at is not null
                then 1 else 0
        end) as asked_or_answered_members,
        sum(case
            when firsts.introduced_at is not null and firsts.first_question_or_answer_at is not null
                and firsts.is_active_in_week_4 = 1
                then 1 else 0
        end) as active_in_week_4_members,
        {#- members whose retention window has ended in the data -#}
        sum(case
            when {{ dbt.dateadd('day', var('onboarding_retention_end_days'), 'firsts.first_active_at') }} <= data_end.data_end_at
                then 1 else 0
        end) as retention_eligible_members,
        sum(case
            when {{ dbt.dateadd('day', var('onboarding_retention_end_days'), 'firsts.first_active_at') }} <= data_end.data_end_at
                and retained.member_id is not null
                then 1 else 0
        end) as retained_eligible_members
    from firsts
    cross join data_end
    left join retained on firsts.member_id = retained.member_id
    group by 1

)

select
    cohort_month,
    joined_members,
    active_members,
    activated_members,
    retained_members,
    introduced_members,
    asked_or_answered_members,
    active_in_week_4_members,
    retention_eligible_members,
    1.0 * active_members / joined_members as active_rate,
    1.0 * activated_members / joined_members as activation_rate,
    case
        when retention_eligible_members > 0
            then 1.0 * retained_eligible_members / retention_eligible_members
    end as retention_rate
from cohorts
