{{
    config(
        materialized='incremental',
        unique_key='activity_date',
        incremental_strategy='delete+insert',
        on_schema_change='sync_all_columns',
        post_hook=["delete from {{ this }} where member_id is null"]
    )
}}

{#- One row per member and day with at least one (not deleted) activity: counts and weight by
    platform. The base of activity trends and cohort charts, and the pre-aggregate the
    member-level marts read instead of the activity stream.

    Incremental by activity_date: a run rebuilds every date of a row fct_activities wrote
    since this table last changed (fct_activities._loaded_at newer than ours: new, edited,
    deleted-flagged or re-attributed activities, on their new date), and every date whose
    stored activity count no longer matches fct_activities (an activity removed upstream or
    moved to another date leaves its old date short). Any change to a date's rows is one of
    the two, so the table equals a full refresh. Each rebuilt date also gets a tombstone
    (member_id null): delete+insert clears the date even when no member is left on it, and
    the post-hook deletes the tombstone. -#}
with

activities as (

    select * from {{ ref('fct_activities') }}

),

{% if is_incremental() %}

watermark as (

    select coalesce(max(_loaded_at), cast('1970-01-01' as {{ dbt.type_timestamp() }})) as loaded_at
    from {{ this }}

),

stored_counts as (

    select activity_date, sum(activity_count) as activity_count
    from {{ this }}
    group by 1

),

current_counts as (

    select activity_date, count(*) as activity_count
    from activities
    where not is_deleted
    group by 1

),

touched_dates as (

    select distinct activity_date
    from activities
    where _loaded_at is null or _loaded_at > (select loaded_at from watermark)
    union
    {# rows written before _loaded_at existed (null after the column was added) #}
    select distinct activity_date
    from {{ this }}
    where _loaded_at is null
    union
    select coalesce(stored_counts.activity_date, current_counts.activity_date) as activity_date
    from stored_counts
    full outer join current_counts
        on stored_counts.activity_date = current_counts.activity_date
    where stored_counts.activity_count is distinct from current_counts.activity_count

),

{% endif %}

member_days as (

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
        sum(case when is_question then 1 else 0 end) as question_count,
        max(weight) as max_activity_weight,
        min(occurred_at) as first_activity_at,
        max(occurred_at) as last_activity_at,
        {{ loaded_at() }} as _loaded_at
    from activities
    where not is_deleted
    {%- if is_incremental() %}
        and activity_date in (select activity_date from touched_dates)
    {%- endif %}
    group by member_id, activity_date

)

select * from member_days
{%- if is_incremental() %}
union all
select
    cast(null as {{ dbt.type_string() }}) as member_day_id,
    cast(null as {{ dbt.type_string() }}) as member_id,
    activity_date,
    {%- for column in ['activity_count', 'activity_weight', 'slack_activity_count',
        'discourse_activity_count', 'luma_activity_count', 'question_count',
        'max_activity_weight', 'first_activity_at', 'last_activity_at'] %}
    null as {{ column }},
    {%- endfor %}
    {{ loaded_at() }} as _loaded_at
from touched_dates
where activity_date is not null
{%- endif %}
