import './base.css';
import './datasets.css';
import './monitoring.css';
import './jobs.css';
import './reviews.css';
import './reviews-notebook.css';
import './features.css';
import './serving.css';
