{#- One row per program (seeds/programs.csv) with its reach. -#}
with

programs as (

    select * from {{ ref('programs') }}

),

participation as (

    select * from {{ ref('fct_program_participation') }}

),

reach as (

    select
        program_id,
        count(*) as participant_count,
        min(first_participated_at) as first_participation_at
    from participation
    group by 1

)

select
    programs.program_id,
    programs.program_name,
    nullif(programs.luma_tag, '') as luma_tag,
    nullif(programs.slack_channel, '') as slack_channel,
    programs.description,
    coalesce(reach.participant_count, 0) as participant_count,
    reach.first_participation_at
from programs
left join reach on programs.program_id = reach.program_id
