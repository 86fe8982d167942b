{#- Program impact (DESIGN.md "Metric definitions", after Savannah's gift impact), one row per
    participant and program: activity weight in the program_impact_window_days (60) after
    the first participation vs the same window before; the control group = non-participants
    of the program (non-bot, non-staff) whose pre-period activity weight falls in the same
    bucket (0, 1-9, 10-29, 30-99, 100+), measured around the first day of the participation
    month (the same 60-day windows, in whole days); difference in differences =
    participant change - mean control change. Conversion: the participant's member has a
    CRM deal created within program_conversion_window_days (90) after participation. -#}
with

participation as (

    select * from {{ ref('fct_program_participation') }}

),

members as (

    select * from {{ ref('int_members__flagged') }}
    where not is_bot and not is_staff

),

activities as (

    select member_id, occurred_at, weight
    from {{ ref('int_activities__attributed') }}
    where not is_deleted

),

hubspot_identities as (

    select member_id, platform_user_id as contact_id
    from {{ ref('int_identities__resolved') }}
    where platform = 'hubspot'

),

deal_contacts as (

    select * from {{ ref('stg_hubspot__deal_contacts') }}

),

deals as (

    select * from {{ ref('stg_hubspot__deals') }}
    where not is_archived

),

participants as (

    select
        participation.member_id,
        participation.program_id,
        participation.first_participated_at as participated_at,
        {#- the first midnight of the participation month: controls are measured around it -#}
        cast({{ dbt.date_trunc('month', 'participation.first_participated_at') }} as {{ dbt.type_timestamp() }})
            as anchor_at
    from participation
    inner join members on participation.member_id = members.member_id

),

participant_windows as (

    select
        participants.member_id,
        participants.program_id,
        participants.participated_at,
        participants.anchor_at,
        sum(case when activities.occurred_at < participants.participated_at then activities.weight else 0 end)
            as pre_weight,
        sum(case when activities.occurred_at > participants.participated_at then activities.weight else 0 end)
            as post_weight
    from participants
    left join activities
        on participants.member_id = activities.member_id
        and activities.occurred_at >= {{ dbt.dateadd('day', -var('program_impact_window_days'), 'participants.participated_at') }}
        and activities.occurred_at <= {{ dbt.dateadd('day', var('program_impact_window_days'), 'participants.participated_at') }}
    group by 1, 2, 3, 4

),

anchors as (

    {#- controls are measured around the first day of each participation month, once per
        month for all members, which keeps the control group linear in members -#}
    select distinct anchor_at, cast(anchor_at as date) as anchor_date
    from participants

),

member_days as (

    select member_id, activity_date, activity_weight
    from {{ ref('fct_member_daily_activity') }}

),

{#- the control windows, in whole days: an anchor is midnight, so "before it" is the 60 days
    before the anchor day and "after it" the anchor day and the 59 after. Read from the
    member-day pre-aggregate and only for members active around an anchor (at 100k people:
    2.9M member-days against 4.8M activities; this model's query took 4.1-5.0 s instead of
    6.2-8.3 s, with the same rows) -#}
active_windows as (

    select
        anchors.anchor_at,
        member_days.member_id,
        sum(case when member_days.activity_date < anchors.anchor_date then member_days.activity_weight else 0 end)
            as pre_weight,
        sum(case when member_days.activity_date >= anchors.anchor_date then member_days.activity_weight else 0 end)
            as post_weight
    from anchors
    inner join member_days
        on member_days.activity_date >= cast({{ dbt.dateadd('day', -var('program_impact_window_days'), 'anchors.anchor_date') }} as date)
        and member_days.activity_date < cast({{ dbt.dateadd('day', var('program_impact_window_days'), 'anchors.anchor_date') }} as date)
    group by 1, 2

),

member_windows as (

    select
        anchors.anchor_at,
        members.member_id,
        coalesce(active_windows.pre_weight, 0) as pre_weight,
        coalesce(active_windows.post_weight, 0) as post_weight
    from anchors
    cross join members
    left join active_windows
        on anchors.anchor_at = active_windows.anchor_at
        and members.member_id = active_windows.member_id

),

program_anchors as (

    select distinct program_id, anchor_at
    from participants

),

control_buckets as (

    {#- non-participants of the program, by pre-period bucket -#}
    select
        program_anchors.program_id,
        program_anchors.anchor_at,
        {{ activity_bucket('member_windows.pre_weight') }} as pre_bucket,
        count(*) as control_count,
        avg(member_windows.pre_weight) as control_pre_weight,
        avg(member_windows.post_weight) as control_post_weight
    from program_anchors
    inner join member_windows on program_anchors.anchor_at = member_windows.anchor_at
    where not exists (
        select 1 from participation as p
        where p.member_id = member_windows.member_id and p.program_id = program_anchors.program_id
    )
    group by 1, 2, 3

),

bucketed_participants as (

    select
        participant_windows.*,
        {{ activity_bucket('pre_weight') }} as pre_bucket
    from participant_windows

),

matched_controls as (

    select
        bucketed_participants.member_id,
        bucketed_participants.program_id,
        control_buckets.control_count,
        control_buckets.control_pre_weight,
        control_buckets.control_post_weight
    from bucketed_participants
    inner join control_buckets
        on bucketed_participants.program_id = control_buckets.program_id
        and bucketed_participants.anchor_at = control_buckets.anchor_at
        and bucketed_participants.pre_bucket = control_buckets.pre_bucket

),

conversions as (

    select
        participants.member_id,
        participants.program_id,
        min(deals.created_at) as first_deal_created_at
    from participants
    inner join hubspot_identities on participants.member_id = hubspot_identities.member_id
    inner join deal_contacts on hubspot_identities.contact_id = deal_contacts.contact_id
    inner join deals
        on deal_contacts.deal_id = deals.deal_id
        and deals.created_at >= participants.participated_at
        and deals.created_at <= {{ dbt.dateadd('day', var('program_conversion_window_days'), 'participants.participated_at') }}
    group by 1, 2

)

select
    {{ dbt.hash(dbt.concat(["bucketed_participants.member_id", "'|'", "bucketed_participants.program_id"])) }}
        as program_participation_id,
    bucketed_participants.member_id,
    bucketed_participants.program_id,
    bucketed_participants.participated_at,
    bucketed_participants.pre_weight,
    bucketed_participants.post_weight,
    bucketed_participants.post_weight - bucketed_participants.pre_weight as weight_change,
    bucketed_participants.pre_bucket,
    coalesce(matched_controls.control_count, 0) as control_count,
    matched_controls.control_pre_weight,
    matched_controls.control_post_weight,
    (bucketed_participants.post_weight - bucketed_participants.pre_weight)
        - (matched_controls.control_post_weight - matched_controls.control_pre_weight) as diff_in_diff,
    conversions.first_deal_created_at is not null as has_converted,
    conversions.first_deal_created_at
from bucketed_participants
left join matched_controls
    on bucketed_participants.member_id = matched_controls.member_id
    and bucketed_participants.program_id = matched_controls.program_id
left join conversions
    on bucketed_participants.member_id = conversions.member_id
    and bucketed_participants.program_id = conversions.program_id
