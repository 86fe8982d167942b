{#- One row per member and day with at least one (not deleted) activity: counts and weight by
    platform. The base of activity trends and cohort charts. -#}
with

activities as (

    select * from {{ ref('fct_activities') }}
    where not is_deleted

)

select
    {{ dbt.hash(dbt.concat(["member_id", "'|'", "cast(activity_date as " ~ dbt.type_string() ~ ")"])) }}
        as member_day_id,
    member_id,
    activity_date,
    count(*) as activity_count,
    sum(weight) as activity_weight,
    {%- for platform in ['slack', 'discourse', 'luma'] %}
    sum(case when platform = '{{ platform }}' then 1 else 0 end) as {{ platform }}_activity_count,
    {%- endfor %}
    sum(case when is_question then 1 else 0 end) as question_count
from activities
group by member_id, activity_date
