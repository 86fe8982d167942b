{#- One row per member and program they took part in (DESIGN.md "Program impact"):
    first and last participation, number of participations by kind. -#}
with

participations as (

    select * from {{ ref('int_program_participations__unioned') }}

)

select
    {{ dbt.hash(dbt.concat(["member_id", "'|'", "program_id"])) }} as program_participation_id,
    member_id,
    program_id,
    min(occurred_at) as first_participated_at,
    max(occurred_at) as last_participated_at,
    sum(case when participation_type = 'event_check_in' then 1 else 0 end) as event_check_in_count,
    sum(case when participation_type = 'slack_channel' then 1 else 0 end) as slack_activity_count
from participations
group by member_id, program_id
