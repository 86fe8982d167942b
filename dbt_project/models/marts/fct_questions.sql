{{ config(materialized="view") }}

{#- One row per question with its time to first response (DESIGN.md "Metric definitions",
    Time to first response). See int_questions__responded, the table this is a view of: as a
    table of its own it was a second copy of the same rows, 3.0 s of the 100,000-person
    incremental build (as marts.fct_activities is a view of int_activities__attributed). -#}
with

questions as (

    select * from {{ ref('int_questions__responded') }}

)

select * from questions
