{#- A raw timestamp (timestamptz, or ISO-8601 text as HubSpot properties arrive) as a naive UTC
    timestamp. The connection's TimeZone is UTC (profiles.yml), so the cast does not shift. -#}
{% macro to_utc_timestamp(column) -%}
    {{ return(adapter.dispatch('to_utc_timestamp', 'commops')(column)) }}
{%- endmacro %}

{% macro default__to_utc_timestamp(column) -%}
    cast({{ column }} as {{ dbt.type_timestamp() }})
{%- endmacro %}

{% macro duckdb__to_utc_timestamp(column) -%}
    cast(cast({{ column }} as timestamp with time zone) as timestamp)
{%- endmacro %}
