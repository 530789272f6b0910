"""The peer the dashboard's first chart is measured against (bench/bench_dashboard.py): the
smallest Dash app with one chart, as its documentation writes one, served the same way."""
from dash import Dash, dcc, html
import plotly.graph_objects as go

app = Dash(__name__)
app.layout = html.Div(className="page", children=[
    html.H1("Beneficiaries by category"),
    dcc.Graph(figure=go.Figure(go.Bar(x=["Children", "Older persons", "Disability", "Families", "Orphans"],
                                      y=[142041, 18867, 4651, 2891, 1548]))),
])
server = app.server
