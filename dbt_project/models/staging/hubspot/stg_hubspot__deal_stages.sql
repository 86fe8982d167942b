with

source as (

    select
        {{ conformed_source_columns(source('raw_hubspot', 'deal_stages'), [
            "pipeline_id text",
            "pipeline_label text",
            "stage_id text",
            "label text",
            "display_order bigint",
            "is_closed boolean",
            "probability double"
        ]) }}
    from {{ source('raw_hubspot', 'deal_stages') }}

),

renamed as (

    select
        {{ dbt.concat(["pipeline_id", "':'", "stage_id"]) }} as deal_stage_key,
        cast(pipeline_id as {{ dbt.type_string() }}) as pipeline_id,
        pipeline_label,
        cast(stage_id as {{ dbt.type_string() }}) as stage_id,
        label as stage_label,
        display_order,
        cast(probability as {{ dbt.type_float() }}) as probability,
        coalesce(is_closed, false) as is_closed

    from source

)

select * from renamed
