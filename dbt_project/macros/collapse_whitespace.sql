{#- Runs of whitespace collapsed to one space (regex flags differ between databases). -#}
{% macro collapse_whitespace(column) -%}
    {{ return(adapter.dispatch('collapse_whitespace', 'commops')(column)) }}
{%- endmacro %}

{% macro default__collapse_whitespace(column) -%}
    regexp_replace({{ column }}, '\s+', ' ', 'g')
{%- endmacro %}

{% macro snowflake__collapse_whitespace(column) -%}
    regexp_replace({{ column }}, '\\s+', ' ')
{%- endmacro %}

{% macro bigquery__collapse_whitespace(column) -%}
    regexp_replace({{ column }}, r'\s+', ' ')
{%- endmacro %}
