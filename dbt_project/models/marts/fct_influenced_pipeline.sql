{#- Influenced pipeline (DESIGN.md "Metric definitions"): one row per (not archived) deal;
    a deal is influenced when at least one associated contact's member was active in the
    community (any not deleted activity) in the influence_window_days before the deal was
    created. Open pipeline = amount of influenced deals not closed; closed-won amount from
    HubSpot hs_is_closed_won. -#}
with

deals as (

    select * from {{ ref('stg_hubspot__deals') }}
    where not is_archived

),

deal_contacts as (

    select * from {{ ref('stg_hubspot__deal_contacts') }}

),

stages as (

    select * from {{ ref('stg_hubspot__deal_stages') }}

),

identities as (

    select member_id, platform_user_id as contact_id
    from {{ ref('int_identities__resolved') }}
    where platform = 'hubspot'

),

activities as (

    select member_id, occurred_at
    from {{ ref('int_activities__attributed') }}
    where not is_deleted

),

deal_members as (

    select distinct deal_contacts.deal_id, identities.member_id
    from deal_contacts
    inner join identities on deal_contacts.contact_id = identities.contact_id

),

influencing as (

    select
        deal_members.deal_id,
        count(distinct deal_members.member_id) as influencing_member_count,
        count(*) as influencing_activity_count
    from deal_members
    inner join deals on deal_members.deal_id = deals.deal_id
    inner join activities
        on deal_members.member_id = activities.member_id
        and activities.occurred_at < deals.created_at
        and activities.occurred_at >= {{ dbt.dateadd('day', -var('influence_window_days'), 'deals.created_at') }}
    group by 1

),

associated as (

    select deal_id, count(*) as associated_member_count
    from deal_members
    group by 1

)

select
    deals.deal_id,
    deals.deal_name,
    deals.pipeline_id,
    deals.stage_id,
    stages.stage_label,
    deals.amount,
    deals.created_at,
    deals.closed_at,
    deals.is_closed_won,
    coalesce(stages.is_closed, deals.is_closed_won) as is_closed,
    coalesce(associated.associated_member_count, 0) as associated_member_count,
    coalesce(influencing.influencing_member_count, 0) as influencing_member_count,
    coalesce(influencing.influencing_activity_count, 0) as influencing_activity_count,
    influencing.deal_id is not null as is_influenced,
    case
        when influencing.deal_id is not null and not coalesce(stages.is_closed, deals.is_closed_won)
            then coalesce(deals.amount, 0) else 0
    end as influenced_open_amount,
    case
        when influencing.deal_id is not null and deals.is_closed_won
            then coalesce(deals.amount, 0) else 0
    end as influenced_closed_won_amount
from deals
left join stages
    on deals.pipeline_id = stages.pipeline_id
    and deals.stage_id = stages.stage_id
left join associated on deals.deal_id = associated.deal_id
left join influencing on deals.deal_id = influencing.deal_id
