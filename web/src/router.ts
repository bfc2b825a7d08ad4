import { createRouter, createWebHistory } from 'vue-router'
import { session } from './session'
import Layout from './layout/Layout.vue'
import { MENU } from './menu'

// Menu entries whose area is not built yet answer at their own URL.
const pending = [...new Set(MENU.flatMap((g) => g.items.filter((i) => i.pending).map((i) => i.path)))]

export const router = createRouter({
  history: createWebHistory(),
  routes: [
    { path: '/login', component: () => import('./views/Login.vue') },
    // 成绩查询: candidates look up their scores without an account.
    { path: '/score-lookup', component: () => import('./views/ScoreLookup.vue') },
    // 考场签到: the 监考员's phone page, outside the admin layout.
    { path: '/door', component: () => import('./views/Door.vue') },
    {
      path: '/',
      component: Layout,
      children: [
        { path: '', component: () => import('./views/Home.vue') },
        { path: 'orgs', component: () => import('./views/OrgList.vue') },
        { path: 'school', component: () => import('./views/SchoolProfile.vue') },
        { path: 'org-profile', component: () => import('./views/OrgProfile.vue') },
        { path: 'standards/:kind(skill|site)', component: () => import('./views/StandardList.vue'), props: true },
        { path: 'certificates', component: () => import('./views/CertificateList.vue') },
        { path: 'users', component: () => import('./views/UserList.vue') },
        { path: 'audit', component: () => import('./views/AuditLog.vue') },
        { path: 'candidates/:kind(school|social)', component: () => import('./views/CandidateList.vue'), props: true },
        { path: 'exam/subjects', component: () => import('./views/SubjectList.vue') },
        { path: 'exam/plans', component: () => import('./views/PlanList.vue') },
        { path: 'sites', component: () => import('./views/SiteList.vue') },
        { path: 'sites/review', component: () => import('./views/SiteReview.vue') },
        { path: 'sites/allocations', component: () => import('./views/SiteAllocation.vue') },
        { path: 'rooms', component: () => import('./views/RoomList.vue') },
        { path: 'registrations', component: () => import('./views/RegistrationList.vue') },
        { path: 'payments', component: () => import('./views/PaymentList.vue') },
        { path: 'scheduling/sites', component: () => import('./views/SchedulingSites.vue') },
        { path: 'scheduling/rooms', component: () => import('./views/SchedulingRooms.vue') },
        { path: 'scheduling/details', component: () => import('./views/SchedulingDetails.vue') },
        { path: 'scores', component: () => import('./views/ScoreList.vue') },
        { path: 'results', component: () => import('./views/ResultList.vue') },
        { path: 'statistics', component: () => import('./views/Statistics.vue') },
        { path: 'invigilators', component: () => import('./views/InvigilatorList.vue') },
        { path: 'invigilators/review', component: () => import('./views/InvigilatorReview.vue') },
        { path: 'declarations', component: () => import('./views/DeclarationList.vue') },
        { path: 'declarations/plans', component: () => import('./views/DeclarationPlanList.vue') },
        { path: 'declarations/review', component: () => import('./views/DeclarationReview.vue') },
        { path: 'weekly-reports', component: () => import('./views/WeeklyReportList.vue') },
        { path: 'weekly-reports/review', component: () => import('./views/WeeklyReportReview.vue') },
        ...pending.map((path) => ({ path: path.slice(1), component: () => import('./views/Pending.vue') })),
        { path: ':rest(.*)*', component: () => import('./views/Pending.vue'), props: { missing: true } },
      ],
    },
  ],
})

/** A 监考员 login: it has the door page and nothing else. */
const doorOnly = () => !!session.user?.roles.length && session.user.roles.every((r) => r === '监考员')

/** Pages anyone may open, signed in or not. */
const PUBLIC = ['/score-lookup']

router.beforeEach((to) => {
  if (PUBLIC.includes(to.path)) return true
  if (to.path !== '/login' && !session.token) return { path: '/login', query: { redirect: to.fullPath } }
  if (to.path === '/login' && session.token) return { path: doorOnly() ? '/door' : '/' }
  if (session.token && doorOnly() && to.path !== '/door') return { path: '/door' }
  if (session.token && !doorOnly() && to.path === '/door') return { path: '/' }
  return true
})
