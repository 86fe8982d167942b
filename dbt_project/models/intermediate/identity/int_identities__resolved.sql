{{ config(materialized="table") }}

{#- Accounts grouped into members: connected components of the identity graph (a chain
    A-B-C is one member), found by a recursive walk. member_id is stable across runs
    (DESIGN.md identity rule 5): the hash of "platform:platform_user_id" of the member's
    earliest-seen account (ties broken by platform, then id). -#}
with recursive

identities as (

    select * from {{ ref('int_identities__normalized') }}

),

links as (

    select identity_key_a, identity_key_b from {{ ref('int_identity_links__collected') }}

),

edges as (

    select identity_key_a as from_key, identity_key_b as to_key from links
    union
    select identity_key_b as from_key, identity_key_a as to_key from links

),

reachable (identity_key, reached_key) as (

    select identity_key, identity_key as reached_key from identities
    union
    select reachable.identity_key, edges.to_key
    from reachable
    inner join edges on reachable.reached_key = edges.from_key

),

components as (

    select identity_key, min(reached_key) as component_key
    from reachable
    group by 1

),

ranked as (

    select
        identities.*,
        components.component_key,
        row_number() over (
            partition by components.component_key
            order by
                case when identities.first_seen_at is null then 1 else 0 end,
                identities.first_seen_at,
                identities.platform,
                identities.platform_user_id
        ) as seniority
    from identities
    inner join components on identities.identity_key = components.identity_key

),

anchors as (

    select component_key, identity_key as anchor_identity_key
    from ranked
    where seniority = 1

)

select
    {{ dbt.hash('anchors.anchor_identity_key') }} as member_id,
    ranked.identity_key,
    ranked.platform,
    ranked.platform_user_id,
    ranked.email,
    ranked.email_normalized,
    ranked.email_domain,
    ranked.full_name,
    ranked.display_name,
    ranked.name_key,
    ranked.company_name,
    ranked.timezone,
    ranked.city,
    ranked.country,
    ranked.crm_lifecycle_stage,
    ranked.is_bot,
    ranked.is_deactivated,
    ranked.is_staff,
    ranked.first_seen_at,
    ranked.seniority = 1 as is_member_anchor,
    anchors.anchor_identity_key
from ranked
inner join anchors on ranked.component_key = anchors.component_key
