{#- Every account on every platform, one row each (DESIGN.md "Identity resolution").
    Archived HubSpot contacts and contacts merged into another are not identities
    (DESIGN.md contract for member_identities). -#}
with

slack_users as (

    select * from {{ ref('stg_slack__users') }}

),

slack_messages as (

    select user_id, message_at from {{ ref('stg_slack__messages') }}
    where user_id is not null

),

discourse_users as (

    select * from {{ ref('stg_discourse__users') }}

),

hubspot_contacts as (

    select * from {{ ref('stg_hubspot__contacts') }}

),

hubspot_contact_companies as (

    select * from {{ ref('stg_hubspot__contact_companies') }}

),

hubspot_companies as (

    select * from {{ ref('stg_hubspot__companies') }}
    where not is_archived

),

luma_guests as (

    select * from {{ ref('stg_luma__guests') }}
    where user_api_id is not null

),

slack_first_messages as (

    select user_id, min(message_at) as first_message_at
    from slack_messages
    group by 1

),

slack_identities as (

    select
        'slack' as platform,
        slack_users.slack_user_id as platform_user_id,
        slack_users.email,
        slack_users.full_name,
        coalesce(slack_users.display_name, slack_users.username) as display_name,
        cast(null as {{ dbt.type_string() }}) as company_name,
        slack_users.timezone,
        cast(null as {{ dbt.type_string() }}) as city,
        cast(null as {{ dbt.type_string() }}) as country,
        cast(null as {{ dbt.type_string() }}) as crm_lifecycle_stage,
        cast(null as {{ dbt.type_string() }}) as linked_slack_user_id,
        cast(null as {{ dbt.type_string() }}) as linked_discourse_user_id,
        slack_users.is_bot,
        slack_users.is_deactivated,
        coalesce(slack_first_messages.first_message_at, slack_users.updated_at) as first_seen_at
    from slack_users
    left join slack_first_messages
        on slack_users.slack_user_id = slack_first_messages.user_id

),

discourse_identities as (

    select
        'discourse' as platform,
        discourse_user_id as platform_user_id,
        email,
        full_name,
        username as display_name,
        cast(null as {{ dbt.type_string() }}) as company_name,
        cast(null as {{ dbt.type_string() }}) as timezone,
        location as city,
        cast(null as {{ dbt.type_string() }}) as country,
        cast(null as {{ dbt.type_string() }}) as crm_lifecycle_stage,
        cast(null as {{ dbt.type_string() }}) as linked_slack_user_id,
        cast(null as {{ dbt.type_string() }}) as linked_discourse_user_id,
        is_bot,
        is_deactivated,
        created_at as first_seen_at
    from discourse_users

),

merged_away_contacts as (

    {#- hs_merged_object_ids of a surviving contact, split on ';' (up to 20 absorbed ids) -#}
    {% for i in range(1, 21) %}
    select {{ dbt.split_part('merged_object_ids', "';'", i) }} as contact_id
    from hubspot_contacts
    where merged_object_ids is not null and not is_archived
    {% if not loop.last %}union all{% endif %}
    {% endfor %}

),

contact_company_names as (

    select
        hubspot_contact_companies.contact_id,
        min(hubspot_companies.company_name) as company_name
    from hubspot_contact_companies
    inner join hubspot_companies
        on hubspot_contact_companies.company_id = hubspot_companies.company_id
    group by 1

),

hubspot_identities as (

    select
        'hubspot' as platform,
        hubspot_contacts.contact_id as platform_user_id,
        hubspot_contacts.email,
        hubspot_contacts.full_name,
        hubspot_contacts.full_name as display_name,
        coalesce(hubspot_contacts.company_name, contact_company_names.company_name) as company_name,
        cast(null as {{ dbt.type_string() }}) as timezone,
        hubspot_contacts.city,
        hubspot_contacts.country,
        hubspot_contacts.lifecycle_stage as crm_lifecycle_stage,
        hubspot_contacts.linked_slack_user_id,
        hubspot_contacts.linked_discourse_user_id,
        false as is_bot,
        false as is_deactivated,
        hubspot_contacts.created_at as first_seen_at
    from hubspot_contacts
    left join contact_company_names
        on hubspot_contacts.contact_id = contact_company_names.contact_id
    where not hubspot_contacts.is_archived
        and hubspot_contacts.contact_id not in (
            select contact_id from merged_away_contacts
            where contact_id is not null and contact_id <> ''
        )

),

luma_ranked as (

    select
        user_api_id,
        email,
        full_name,
        registered_at,
        row_number() over (
            partition by user_api_id
            order by registered_at desc, guest_id desc
        ) as recency_rank,
        min(registered_at) over (partition by user_api_id) as first_registered_at
    from luma_guests

),

luma_identities as (

    select
        'luma' as platform,
        user_api_id as platform_user_id,
        email,
        full_name,
        full_name as display_name,
        cast(null as {{ dbt.type_string() }}) as company_name,
        cast(null as {{ dbt.type_string() }}) as timezone,
        cast(null as {{ dbt.type_string() }}) as city,
        cast(null as {{ dbt.type_string() }}) as country,
        cast(null as {{ dbt.type_string() }}) as crm_lifecycle_stage,
        cast(null as {{ dbt.type_string() }}) as linked_slack_user_id,
        cast(null as {{ dbt.type_string() }}) as linked_discourse_user_id,
        false as is_bot,
        false as is_deactivated,
        first_registered_at as first_seen_at
    from luma_ranked
    where recency_rank = 1

),

unioned as (

    select * from slack_identities
    union all
    select * from discourse_identities
    union all
    select * from hubspot_identities
    union all
    select * from luma_identities

)

select
    {{ dbt.concat(["platform", "':'", "platform_user_id"]) }} as identity_key,
    *
from unioned
