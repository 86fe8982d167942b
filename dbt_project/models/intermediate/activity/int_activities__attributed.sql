{{ config(materialized="table") }}

{#- Activities with their member and weight (seeds/activity_weights.csv). Accounts that are
    not identities (e.g. a Slack user missing from users.list) are dropped. -#}
with

activities as (

    select * from {{ ref('int_activities__unioned') }}

),

identities as (

    select member_id, platform, platform_user_id from {{ ref('int_identities__resolved') }}

),

weights as (

    select platform, activity_type, weight from {{ ref('activity_weights') }}

),

attributed as (

    select
        activities.activity_id,
        identities.member_id,
        activities.platform,
        activities.platform_user_id,
        activities.activity_type,
        activities.occurred_at,
        cast(activities.occurred_at as date) as activity_date,
        activities.channel_id,
        activities.channel_name,
        activities.thread_id,
        activities.is_question,
        activities.is_deleted,
        coalesce(weights.weight, 0) as weight
    from activities
    inner join identities
        on activities.platform = identities.platform
        and activities.platform_user_id = identities.platform_user_id
    left join weights
        on activities.platform = weights.platform
        and activities.activity_type = weights.activity_type

)

select
    *,
    {{ dbt.hash(dbt.concat([
        "member_id", "'|'",
        "cast(occurred_at as " ~ dbt.type_string() ~ ")", "'|'",
        "coalesce(channel_id, '')", "'|'",
        "coalesce(channel_name, '')", "'|'",
        "coalesce(thread_id, '')", "'|'",
        "cast(is_question as " ~ dbt.type_string() ~ ")", "'|'",
        "cast(is_deleted as " ~ dbt.type_string() ~ ")", "'|'",
        "cast(weight as " ~ dbt.type_string() ~ ")"])) }} as row_hash
from attributed
