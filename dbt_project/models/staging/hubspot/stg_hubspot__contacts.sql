with

source as (

    select
        {{ conformed_source_columns(source('raw_hubspot', 'contacts'), [
            "id text",
            "email text",
            "firstname text",
            "lastname text",
            "company text",
            "jobtitle text",
            "city text",
            "country text",
            "lifecyclestage text",
            "hs_merged_object_ids text",
            "commops_slack_user_id text",
            "commops_discourse_user_id text",
            "createdate timestamp with time zone",
            "lastmodifieddate timestamp with time zone",
            "archived boolean",
            "created_at timestamp with time zone",
            "updated_at timestamp with time zone"
        ]) }}
    from {{ source('raw_hubspot', 'contacts') }}

),

renamed as (

    select
        cast(id as {{ dbt.type_string() }}) as contact_id,
        nullif(trim(email), '') as email,
        nullif(trim(firstname), '') as first_name,
        nullif(trim(lastname), '') as last_name,
        nullif(trim({{ dbt.concat(["coalesce(firstname, '')", "' '", "coalesce(lastname, '')"]) }}), '')
            as full_name,
        nullif(trim(company), '') as company_name,
        jobtitle as job_title,
        nullif(trim(city), '') as city,
        nullif(trim(country), '') as country,
        nullif(trim(lifecyclestage), '') as lifecycle_stage,
        nullif(trim(hs_merged_object_ids), '') as merged_object_ids,
        nullif(trim(commops_slack_user_id), '') as linked_slack_user_id,
        nullif(trim(commops_discourse_user_id), '') as linked_discourse_user_id,
        coalesce({{ to_utc_timestamp('createdate') }}, {{ to_utc_timestamp('created_at') }}) as created_at,
        coalesce({{ to_utc_timestamp('lastmodifieddate') }}, {{ to_utc_timestamp('updated_at') }}) as updated_at,
        coalesce(archived, false) as is_archived

    from source

)

select * from renamed
