{#- Segment membership history (seeds/segments.csv), one row per member, segment and
    uninterrupted stretch of membership. Membership is evaluated on the snapshot dates of
    int_member_lifecycle__snapshotted (the as-of date and every segment_snapshot_days
    before); valid_from = the first snapshot of the stretch, valid_to = the first snapshot
    after it (exclusive), null while the membership is current. -#}
with

segments as (

    select * from {{ ref('segments') }}

),

lifecycle as (

    select * from {{ ref('int_member_lifecycle__snapshotted') }}

),

members as (

    select * from {{ ref('int_members__flagged') }}
    where not is_bot

),

identities as (

    select member_id, platform, min(first_seen_at) as first_seen_at
    from {{ ref('int_identities__resolved') }}
    group by 1, 2

),

participation as (

    select member_id, program_id, first_participated_at
    from {{ ref('fct_program_participation') }}

),

snapshots as (

    select
        snapshot_date,
        dense_rank() over (order by snapshot_date) as snapshot_number
    from (select distinct snapshot_date from lifecycle) as dates

),

lifecycle_members as (

    select lifecycle.member_id, segments.segment_id, lifecycle.snapshot_date
    from lifecycle
    inner join segments
        on segments.attribute = 'lifecycle_status'
        and segments.value = lifecycle.lifecycle_status

),

{#- Platform and program memberships never end: once a member joins a platform or takes
    part in a program, every later snapshot holds them, so each is one open stretch from the
    first snapshot on or after the date (no snapshot-by-snapshot rows needed). -#}
platform_stretches as (

    select
        identities.member_id,
        segments.segment_id,
        min(snapshots.snapshot_date) as valid_from,
        cast(null as date) as valid_to
    from identities
    inner join members on identities.member_id = members.member_id
    inner join segments
        on segments.attribute = 'platform'
        and segments.value = identities.platform
    inner join snapshots
        on identities.first_seen_at is null
        or cast(identities.first_seen_at as date) <= snapshots.snapshot_date
    group by 1, 2

),

program_stretches as (

    select
        participation.member_id,
        segments.segment_id,
        min(snapshots.snapshot_date) as valid_from,
        cast(null as date) as valid_to
    from participation
    inner join members on participation.member_id = members.member_id
    inner join segments
        on segments.attribute = 'program'
        and segments.value = participation.program_id
    inner join snapshots
        on cast(participation.first_participated_at as date) <= snapshots.snapshot_date
    group by 1, 2

),

numbered as (

    select
        lifecycle_members.member_id,
        lifecycle_members.segment_id,
        lifecycle_members.snapshot_date,
        snapshots.snapshot_number,
        snapshots.snapshot_number
            - row_number() over (
                partition by lifecycle_members.member_id, lifecycle_members.segment_id
                order by lifecycle_members.snapshot_date
            ) as stretch
    from lifecycle_members
    inner join snapshots on lifecycle_members.snapshot_date = snapshots.snapshot_date

),

stretches as (

    select
        member_id,
        segment_id,
        min(snapshot_date) as valid_from,
        max(snapshot_number) as last_snapshot_number
    from numbered
    group by member_id, segment_id, stretch

),

{#- valid_to = the snapshot after the stretch's last one (null when that was the latest) -#}
lifecycle_stretches as (

    select
        stretches.member_id,
        stretches.segment_id,
        stretches.valid_from,
        next_snapshots.snapshot_date as valid_to
    from stretches
    left join snapshots as next_snapshots
        on next_snapshots.snapshot_number = stretches.last_snapshot_number + 1

),

bounded as (

    select * from lifecycle_stretches
    union all
    select * from platform_stretches
    union all
    select * from program_stretches

)

select
    {{ dbt.hash(dbt.concat(["member_id", "'|'", "segment_id", "'|'", "cast(valid_from as " ~ dbt.type_string() ~ ")"])) }}
        as member_segment_id,
    member_id,
    segment_id,
    valid_from,
    valid_to,
    valid_to is null as is_current
from bounded
