{#- A table, not a view: several models and its data tests read it, and as a view each of
    them recomputed it from the whole activity or identity history. -#}
{{ config(materialized="table") }}

{#- Time to first response (CHAOSS; DESIGN.md "Metric definitions"). A question is a
    Discourse topic or a top-level Slack message in a help channel (var help_channels); its
    first response is the earliest reply in the same thread (Slack thread reply, Discourse
    reply post) by a member other than the asker, bots excluded. Unanswered = no such reply
    within ttfr_unanswered_days (undecided, null, while the question is younger than that
    as of the as-of date). -#}
with

activities as (

    select * from {{ ref('int_activities__attributed') }}
    where not is_deleted

),

members as (

    select * from {{ ref('int_members__flagged') }}

),

as_of as (

    select {{ as_of_date('activities') }} as as_of_date

),

questions as (

    select
        activities.activity_id as question_id,
        activities.member_id,
        activities.platform,
        activities.channel_id,
        activities.thread_id,
        activities.occurred_at as asked_at,
        activities.activity_date as asked_date
    from activities
    inner join members on activities.member_id = members.member_id
    where activities.is_question and not members.is_bot

),

replies as (

    select
        activities.platform,
        activities.thread_id,
        activities.member_id,
        activities.occurred_at,
        activities.activity_id,
        members.is_staff
    from activities
    inner join members on activities.member_id = members.member_id
    where activities.activity_type in ('thread_reply', 'reply')
        and not members.is_bot

),

solutions as (

    select distinct platform, thread_id
    from activities
    where activity_type = 'accepted_solution'

),

candidate_responses as (

    select
        questions.question_id,
        replies.member_id as responder_member_id,
        replies.is_staff as responder_is_staff,
        replies.occurred_at as responded_at,
        row_number() over (
            partition by questions.question_id
            order by replies.occurred_at, replies.activity_id
        ) as response_rank
    from questions
    inner join replies
        on questions.platform = replies.platform
        and questions.thread_id = replies.thread_id
        and replies.member_id <> questions.member_id
        and replies.occurred_at >= questions.asked_at

),

first_responses as (

    select * from candidate_responses where response_rank = 1

)

select
    questions.question_id,
    questions.member_id,
    questions.platform,
    questions.channel_id,
    questions.thread_id,
    questions.asked_at,
    questions.asked_date,
    first_responses.responded_at as first_response_at,
    first_responses.responder_member_id,
    first_responses.responder_is_staff,
    {{ dbt.datediff('questions.asked_at', 'first_responses.responded_at', 'second') }} / 3600.0
        as hours_to_first_response,
    case
        when first_responses.responded_at is not null
            and first_responses.responded_at <= {{ dbt.dateadd('day', var('ttfr_unanswered_days'), 'questions.asked_at') }}
            then false
        when {{ dbt.dateadd('day', var('ttfr_unanswered_days'), 'questions.asked_date') }} <= as_of.as_of_date
            then true
    end as is_unanswered,
    case
        when questions.platform = 'discourse' then solutions.thread_id is not null
    end as has_accepted_solution
from questions
cross join as_of
left join first_responses on questions.question_id = first_responses.question_id
left join solutions
    on questions.platform = solutions.platform
    and questions.thread_id = solutions.thread_id
