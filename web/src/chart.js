// ECharts with only what the pages draw (bar charts on a canvas), so the
// bundle stays small; nothing is fetched from outside.
import * as echarts from 'echarts/core'
import { BarChart } from 'echarts/charts'
import { GridComponent, TooltipComponent, TitleComponent } from 'echarts/components'
import { CanvasRenderer } from 'echarts/renderers'

echarts.use([BarChart, GridComponent, TooltipComponent, TitleComponent, CanvasRenderer])

// Units per band of the total: below 60, 60–70 … 90–100, and 100.
export function distribution(totals) {
  const bands = ['60分以下', '60–70分', '70–80分', '80–90分', '90–100分', '100分']
  const counts = bands.map(() => 0)
  for (const t of totals) {
    const v = Number(t)
    const i = v < 60 ? 0 : v >= 100 ? 5 : Math.floor((v - 60) / 10) + 1
    counts[i]++
  }
  return { bands, counts }
}

export function drawBars(el, title, labels, values, color = '#c0392b') {
  const chart = echarts.getInstanceByDom(el) || echarts.init(el)
  chart.setOption({
    title: { text: title, left: 'center', textStyle: { fontSize: 14 } },
    tooltip: { trigger: 'axis' },
    grid: { left: 40, right: 20, bottom: 30, top: 40 },
    xAxis: { type: 'category', data: labels },
    yAxis: { type: 'value', minInterval: 1, name: '单位数' },
    series: [{ type: 'bar', data: values, itemStyle: { color }, label: { show: true, position: 'top' } }],
    animation: false,
  })
  return chart
}
