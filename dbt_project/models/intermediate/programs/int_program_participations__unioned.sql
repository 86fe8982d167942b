{#- A table, not a view: several models and its data tests read it, and as a view each of
    them recomputed it from the whole activity or identity history. -#}
{{ config(materialized="table") }}

{#- Every act of program participation (seeds/programs.csv): a check-in at an event carrying the
    program's Luma tag, or a message, thread reply or join in the program's Slack channel.
    Bots never take part; staff sit in every channel, so their channel activity is no
    participation (their event check-ins are). -#}
with

programs as (

    select * from {{ ref('programs') }}

),

members as (

    select * from {{ ref('int_members__flagged') }}
    where not is_bot

),

activities as (

    select *
    from {{ ref('int_activities__attributed') }}
    where not is_deleted
        and member_id in (select member_id from members)

),

events as (

    select * from {{ ref('stg_luma__events') }}

),

event_programs as (

    select events.event_id, programs.program_id
    from events
    inner join programs
        on nullif(programs.luma_tag, '') is not null
        and events.tags like {{ dbt.concat(["'%\"'", "programs.luma_tag", "'\"%'"]) }}

),

event_participations as (

    select
        activities.activity_id,
        activities.member_id,
        event_programs.program_id,
        activities.occurred_at,
        'event_check_in' as participation_type
    from activities
    inner join event_programs on activities.thread_id = event_programs.event_id
    where activities.platform = 'luma' and activities.activity_type = 'check_in'

),

channel_participations as (

    select
        activities.activity_id,
        activities.member_id,
        programs.program_id,
        activities.occurred_at,
        'slack_channel' as participation_type
    from activities
    inner join programs
        on nullif(programs.slack_channel, '') is not null
        and activities.channel_name = programs.slack_channel
    where activities.platform = 'slack'
        and activities.activity_type in ('message', 'thread_reply', 'channel_join')
        and activities.member_id not in (select member_id from members where is_staff)

)

select * from event_participations
union all
select * from channel_participations
