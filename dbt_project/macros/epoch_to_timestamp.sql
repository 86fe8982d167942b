{#- Unix epoch seconds (Slack `created`, `updated`) to a UTC timestamp. -#}
{% macro epoch_to_timestamp(column) -%}
    {{ return(adapter.dispatch('epoch_to_timestamp', 'commops')(column)) }}
{%- endmacro %}

{% macro default__epoch_to_timestamp(column) -%}
    {{ dbt.dateadd('second', 'cast(' ~ column ~ ' as bigint)', "cast('1970-01-01 00:00:00' as " ~ dbt.type_timestamp() ~ ")") }}
{%- endmacro %}
