import { createApp } from 'vue'
import ElementPlus from 'element-plus'
import zhCn from 'element-plus/es/locale/lang/zh-cn'
import dayjs from 'dayjs'
// Day.js's zh-cn starts the week on Monday (周报 run Monday to Sunday); the
// date pickers follow it.
import 'dayjs/locale/zh-cn'
import * as Icons from '@element-plus/icons-vue'
import 'element-plus/dist/index.css'
import App from './App.vue'
import { router } from './router'
import './style.css'

dayjs.locale('zh-cn')

const app = createApp(App)
for (const [name, component] of Object.entries(Icons)) app.component(name, component)
app.use(ElementPlus, { locale: zhCn }).use(router).mount('#app')
