import { type INestApplication, Module } from '@nestjs/common';
import { APP_INTERCEPTOR } from '@nestjs/core';
import { OpsModule } from '../ops/ops.module.js';
import { EditorController } from './pages/editor.controller.js';
import { EditorService } from './pages/editor.service.js';
import { EditorDraftsService } from './pages/editor-drafts.service.js';
import { HomeController } from './pages/home.controller.js';
import { ImportPageController } from './pages/import.controller.js';
import { LoginController } from './pages/login.controller.js';
import { MediaUploadController } from './pages/media-upload.controller.js';
import { NoteController } from './pages/note.controller.js';
import { OpsPageController } from './pages/ops.controller.js';
import { RevisionsController } from './pages/revisions.controller.js';
import { RevisionsService } from './pages/revisions.service.js';
import { SearchController } from './pages/search.controller.js';
import { TagsController } from './pages/tags.controller.js';
import { TrashController } from './pages/trash.controller.js';
import { AccountLinkController } from './pages/account-link.controller.js';
import { ForgotPasswordController } from './pages/forgot-password.controller.js';
import { AdminTokensController } from './pages/admin-tokens.controller.js';
import { AdminUsersController } from './pages/admin-users.controller.js';
import { SettingsController } from './pages/settings.controller.js';
import { PageMoveController } from './pages/page-move.controller.js';
import { SpaceSettingsController } from './pages/space-settings.controller.js';
import { SpaceInvitesController } from './pages/space-invites.controller.js';
import { SpaceSettingsService } from './pages/space-settings.service.js';
import { SpacesController } from './pages/spaces.controller.js';
import { AssetRegistry } from './render/assets.js';
import { AssetsController } from './render/assets.controller.js';
import { HtmlViewInterceptor, HtmlViewRenderer } from './render/html-view.interceptor.js';
import { SidebarService } from './render/sidebar.service.js';
import { WebExceptionFilter } from './render/web-exception.filter.js';
import { TextWorkService } from './text-work/text-work.service.js';
import { MediaInfoService } from './wiki-render/media-info.service.js';
import { WikiRenderService } from './wiki-render/wiki-render.service.js';

/**
 * The web UI: server-rendered pages enhanced by htmx. Handlers return views; the global
 * interceptor wraps pages in the layout (or not, for htmx); errors are rendered by
 * {@link installWebErrorPages}.
 */
@Module({
  // The ops page reads the watch state OpsModule keeps; the rest comes from the global core.
  imports: [OpsModule],
  controllers: [
    AssetsController,
    LoginController,
    HomeController,
    NoteController,
    EditorController,
    RevisionsController,
    TrashController,
    TagsController,
    SearchController,
    MediaUploadController,
    ImportPageController,
    OpsPageController,
    AccountLinkController,
    ForgotPasswordController,
    SettingsController,
    AdminUsersController,
    AdminTokensController,
    SpaceSettingsController,
    SpaceInvitesController,
    SpacesController,
    PageMoveController,
  ],
  providers: [
    SpaceSettingsService,
    AssetRegistry,
    HtmlViewRenderer,
    SidebarService,
    MediaInfoService,
    // Built by hand: its limits are constants (TEXT_WORK_LIMITS), not injected.
    { provide: TextWorkService, useFactory: () => new TextWorkService() },
    WikiRenderService,
    EditorService,
    EditorDraftsService,
    RevisionsService,
    { provide: APP_INTERCEPTOR, useClass: HtmlViewInterceptor },
    WebExceptionFilter,
  ],
})
export class WebModule {}

/**
 * Makes the web error filter the first global filter: browsers get error pages (also for
 * unknown routes and guard refusals), API clients the shared JSON errors as before. Call it
 * after the shared app setup registered its JSON filter and before `init()`; an `APP_FILTER`
 * would be registered first and so be consulted last.
 */
export function installWebErrorPages(app: INestApplication): void {
  app.useGlobalFilters(app.get(WebExceptionFilter));
}
