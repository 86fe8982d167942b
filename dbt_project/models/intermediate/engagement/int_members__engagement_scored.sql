{#- A table, not a view: several models and its data tests read it, and as a view each of
    them recomputed it from the whole activity or identity history. -#}
{{ config(materialized="table") }}

{#- Love and Orbit level (DESIGN.md "Metric definitions").
    love = sum over months m = 0..love_window_months-1 of w_m * love_decay^m, w_m the summed
    activity weight in month m, m = 0 the as-of month.
    Orbit level, among members active in the window, bots and staff excluded: 4 (explorer)
    = one activity only, or only activities of weight <= orbit_explorer_max_weight; of the
    rest by love: 1 (advocate) = top orbit_advocate_share, 2 (contributor) = next
    orbit_contributor_share, 3 (participant) = the remainder. -#}
with

activities as (

    select member_id, occurred_at, activity_date, weight
    from {{ ref('int_activities__attributed') }}
    where not is_deleted

),

members as (

    select * from {{ ref('int_members__flagged') }}

),

as_of as (

    select {{ as_of_date('activities') }} as as_of_date

),

windowed as (

    select
        activities.member_id,
        activities.weight,
        {{ dbt.datediff(dbt.date_trunc('month', 'activities.activity_date'), dbt.date_trunc('month', 'as_of.as_of_date'), 'month') }}
            as months_ago
    from activities
    cross join as_of
    where activities.activity_date <= as_of.as_of_date

),

scored as (

    select
        member_id,
        {#- exact and order-independent: a float sum depends on the order DuckDB adds the
            rows in (two builds of the same data differed in the 6th decimal, rounding does
            not help when the sum straddles a rounding boundary). Each row's term is a pure
            function of the row, cast to a DECIMAL whose sum is exact; then rounded to 6. -#}
        cast(round(sum(cast(weight * power({{ var("love_decay") }}, months_ago) as decimal(38, 12))), 6) as double)
            as love,
        count(*) as activity_count_window,
        max(weight) as max_weight_window
    from windowed
    where months_ago between 0 and {{ var('love_window_months') }} - 1
    group by 1

),

eligible as (

    select
        scored.*,
        scored.activity_count_window = 1
            or scored.max_weight_window <= {{ var('orbit_explorer_max_weight') }} as is_explorer
    from scored
    inner join members on scored.member_id = members.member_id
    where not members.is_bot and not members.is_staff

),

ranked as (

    select
        member_id,
        {#- no tie-breaker needed: cume_dist gives tied loves (peers) one share, whatever
            order DuckDB meets them in, so equal love = equal level (unit test in the .yml) -#}
        cume_dist() over (order by love desc) as love_cume_share
    from eligible
    where not is_explorer

),

levelled as (

    select
        scored.member_id,
        scored.love,
        scored.activity_count_window,
        case
            when eligible.member_id is null then null
            when eligible.is_explorer then 4
            when ranked.love_cume_share <= {{ var('orbit_advocate_share') }} then 1
            when ranked.love_cume_share <= {{ var('orbit_advocate_share') }} + {{ var('orbit_contributor_share') }} then 2
            else 3
        end as orbit_level
    from scored
    left join eligible on scored.member_id = eligible.member_id
    left join ranked on scored.member_id = ranked.member_id

)

select
    member_id,
    love,
    activity_count_window,
    orbit_level,
    case orbit_level
        when 1 then 'advocate'
        when 2 then 'contributor'
        when 3 then 'participant'
        when 4 then 'explorer'
    end as orbit_level_name
from levelled
