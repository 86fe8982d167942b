{#- Lifecycle status (DESIGN.md "Metric definitions") from days since the first and last
    activity and the member's share rank by activity weight over the look-back window, in
    precedence order new, at_risk, active, dormant, churned. Shared by the as-of and the
    weekly history models. -#}
{% macro lifecycle_status(days_since_first, days_since_last, recent_weight_cume_share) -%}
    case
        when {{ days_since_first }} < {{ var('lifecycle_new_days') }} then 'new'
        when {{ days_since_last }} >= {{ var('lifecycle_at_risk_silent_min_days') }}
            and {{ days_since_last }} < {{ var('lifecycle_active_days') }}
            and {{ recent_weight_cume_share }} <= {{ var('lifecycle_at_risk_top_share') }} then 'at_risk'
        when {{ days_since_last }} < {{ var('lifecycle_active_days') }} then 'active'
        when {{ days_since_last }} <= {{ var('lifecycle_dormant_max_days') }} then 'dormant'
        else 'churned'
    end
{%- endmacro %}
