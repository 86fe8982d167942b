{#- One row per member segment (seeds/segments.csv) with its current size. -#}
with

segments as (

    select * from {{ ref('segments') }}

),

memberships as (

    select * from {{ ref('fct_member_segments') }}
    where is_current

),

sizes as (

    select segment_id, count(distinct member_id) as current_member_count
    from memberships
    group by 1

)

select
    segments.segment_id,
    segments.segment_name,
    segments.attribute,
    segments.value,
    segments.description,
    coalesce(sizes.current_member_count, 0) as current_member_count
from segments
left join sizes on segments.segment_id = sizes.segment_id
