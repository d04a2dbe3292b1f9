from compliance.charts import HEIGHT, Point, count_chart, trend_chart


def test_chart_is_plain_svg_with_a_title_and_one_bar_per_rated_quarter():
    svg = str(
        trend_chart(
            [
                Point("2025-26 Q1", 0.5, 0.2, 0.8),
                Point("2025-26 Q2", None, None, None),
                Point("2025-26 Q3", 1.0, 0.7, 1.0),
            ],
            title="Rate <by> quarter",
        )
    )
    assert svg.startswith("<svg") and 'role="img"' in svg
    assert '<title id="trend-chart-title">Rate &lt;by&gt; quarter</title>' in svg
    assert svg.count("<rect") == 2
    assert "2025-26 Q2" in svg  # a quarter without a rate still has its label
    assert "<script" not in svg and "style=" not in svg


def test_bar_height_follows_the_rate():
    full = str(trend_chart([Point("Q", 1.0, None, None)], title="t"))
    half = str(trend_chart([Point("Q", 0.5, None, None)], title="t"))
    plot = HEIGHT - 16 - 40

    def bar_height(svg: str) -> float:
        return float(svg.split("<rect")[1].split('height="')[1].split('"')[0])

    assert bar_height(full) == plot
    assert bar_height(half) == plot / 2


def test_a_count_chart_has_a_count_axis_up_to_a_round_number_above_the_largest_count():
    svg = str(
        count_chart([("2024-25 Q4", 6), ("2025-26 Q1", 12_345), ("2025-26 Q2", None)], title="Complaints")
    )
    assert axis_labels(svg) == ["0", "5,000", "10,000", "15,000", "20,000"]
    assert "%</text>" not in svg and svg.count("<rect") == 2 and "2025-26 Q2" in svg
    plot = HEIGHT - 16 - 40
    heights = [float(bar.split('height="')[1].split('"')[0]) for bar in svg.split("<rect")[1:]]
    assert heights == [round(plot * 6 / 20_000, 1), round(plot * 12_345 / 20_000, 1)]
    assert axis_labels(str(count_chart([("Q", 6)], title="t"))) == ["0", "2", "4", "6", "8"]


def axis_labels(svg: str) -> list[str]:
    return [text.split("<")[0] for text in svg.split('text-anchor="end" fill="#0b0c0c">')[1:]]
