{#- Member 360: one row per member (DESIGN.md "Identity resolution" and "Metric definitions").
    Attributes come from the most reliable source first: name, email, company, location and
    CRM stage from HubSpot (what the team curates), then Slack, Discourse, Luma; company else
    the CRM company owning the member's email domain; city/country else the free-text
    Discourse location ("City, Country", or a bare country or city); timezone from the
    Slack profile. -#}
with

identities as (

    select * from {{ ref('int_identities__resolved') }}

),

members as (

    select * from {{ ref('int_members__flagged') }}

),

engagement as (

    select * from {{ ref('int_members__engagement_scored') }}

),

lifecycle as (

    select * from {{ ref('int_members__lifecycle_classified') }}

),

companies as (

    select company_name, company_domain
    from {{ ref('stg_hubspot__companies') }}
    where not is_archived and company_domain is not null

),

known_countries as (

    {#- country names the CRM and the event calendar use: a bare Discourse location equal to
        one of them is a country, otherwise a city -#}
    select distinct lower(country) as country_key, country from {{ ref('stg_hubspot__contacts') }}
    where country is not null
    union
    select distinct lower(country) as country_key, country from {{ ref('stg_luma__events') }}
    where country is not null

),

participation as (

    select member_id, program_id from {{ ref('fct_program_participation') }}

),

{#- per member-day pre-aggregate of the (not deleted) activities: sums and extremes over
    days equal those over the activities, at a fraction of the rows -#}
activity_days as (

    select
        member_id,
        activity_date,
        activity_count,
        activity_weight,
        first_activity_at,
        last_activity_at
    from {{ ref('fct_member_daily_activity') }}

),

as_of as (

    select {{ as_of_date('activity_days') }} as as_of_date

),

by_platform as (

    select
        member_id,
        {%- for platform in ['hubspot', 'slack', 'discourse', 'luma'] %}
        max(case when platform = '{{ platform }}' then full_name end) as {{ platform }}_name,
        max(case when platform = '{{ platform }}' then email end) as {{ platform }}_email,
        max(case when platform = '{{ platform }}' then 1 else 0 end) = 1 as has_{{ platform }},
        {%- endfor %}
        max(case when platform = 'hubspot' then company_name end) as hubspot_company,
        max(case when platform = 'hubspot' then city end) as hubspot_city,
        max(case when platform = 'hubspot' then country end) as hubspot_country,
        max(case when platform = 'hubspot' then crm_lifecycle_stage end) as crm_lifecycle_stage,
        max(case when platform = 'discourse' then city end) as discourse_location,
        max(case when platform <> 'hubspot' then email_domain end) as other_email_domain,
        max(case when platform = 'hubspot' then email_domain end) as hubspot_email_domain,
        max(case when platform = 'slack' then timezone end) as slack_timezone,
        {{ dbt.listagg('distinct platform', "','", "order by platform") }} as platforms
    from identities
    group by 1

),

activity_summary as (

    select
        activity_days.member_id,
        min(activity_days.first_activity_at) as first_active_at,
        max(activity_days.last_activity_at) as last_active_at,
        cast(sum(activity_days.activity_count) as bigint) as activity_count,
        sum(activity_days.activity_weight) as activity_weight,
        sum(case when {{ dbt.datediff('activity_days.activity_date', 'as_of.as_of_date', 'day') }}
            < {{ var('mau_window_days') }} then activity_days.activity_count else 0 end)
            as activity_count_last_28_days,
        sum(case when {{ dbt.datediff('activity_days.activity_date', 'as_of.as_of_date', 'day') }}
            < {{ var('lifecycle_at_risk_lookback_days') }} then activity_days.activity_count else 0 end)
            as activity_count_last_90_days
    from activity_days
    cross join as_of
    where activity_days.activity_date <= as_of.as_of_date
    group by 1

),

locations as (

    select
        by_platform.member_id,
        case
            when by_platform.discourse_location like '%,%'
                then nullif(trim({{ dbt.split_part('by_platform.discourse_location', "','", 1) }}), '')
            when known_countries.country is null
                then nullif(trim(by_platform.discourse_location), '')
        end as discourse_city,
        case
            when by_platform.discourse_location like '%,%'
                then nullif(trim({{ dbt.split_part('by_platform.discourse_location', "','", 2) }}), '')
            else known_countries.country
        end as discourse_country
    from by_platform
    left join known_countries
        on lower(trim(by_platform.discourse_location)) = known_countries.country_key
    where by_platform.discourse_location is not null

),

email_companies as (

    {#- a work email on a CRM company's domain names the employer. Two equi-joins, one per
        domain: a join on `domain in (a, b)` compared every member with every company -#}
    select member_id, min(company_name) as company_name
    from (
        {%- for domain in ['hubspot_email_domain', 'other_email_domain'] %}
        select by_platform.member_id, companies.company_name
        from by_platform
        inner join companies on companies.company_domain = by_platform.{{ domain }}
        {%- if not loop.last %}
        union all
        {%- endif %}
        {%- endfor %}
    ) as matched
    group by 1

),

program_lists as (

    select
        member_id,
        {{ dbt.listagg('distinct program_id', "','", "order by program_id") }} as programs
    from participation
    group by 1

)

select
    members.member_id,
    coalesce(by_platform.hubspot_name, by_platform.slack_name, by_platform.discourse_name, by_platform.luma_name)
        as full_name,
    coalesce(by_platform.hubspot_email, by_platform.slack_email, by_platform.discourse_email, by_platform.luma_email)
        as email,
    by_platform.platforms,
    members.identity_count,
    by_platform.has_slack,
    by_platform.has_discourse,
    by_platform.has_hubspot,
    by_platform.has_luma,
    coalesce(by_platform.hubspot_company, email_companies.company_name) as company_name,
    coalesce(by_platform.hubspot_city, locations.discourse_city) as city,
    coalesce(by_platform.hubspot_country, locations.discourse_country) as country,
    by_platform.slack_timezone as timezone,
    by_platform.crm_lifecycle_stage,
    members.first_seen_at,
    activity_summary.first_active_at,
    activity_summary.last_active_at,
    coalesce(activity_summary.activity_count, 0) as activity_count,
    coalesce(activity_summary.activity_weight, 0) as activity_weight,
    coalesce(activity_summary.activity_count_last_28_days, 0) as activity_count_last_28_days,
    coalesce(activity_summary.activity_count_last_90_days, 0) as activity_count_last_90_days,
    coalesce(engagement.love, 0) as love,
    engagement.orbit_level,
    engagement.orbit_level_name,
    lifecycle.lifecycle_status,
    program_lists.programs,
    members.is_staff,
    members.is_bot,
    members.is_deactivated
from members
inner join by_platform on members.member_id = by_platform.member_id
left join activity_summary on members.member_id = activity_summary.member_id
left join engagement on members.member_id = engagement.member_id
left join lifecycle on members.member_id = lifecycle.member_id
left join program_lists on members.member_id = program_lists.member_id
left join locations on members.member_id = locations.member_id
left join email_companies on members.member_id = email_companies.member_id
